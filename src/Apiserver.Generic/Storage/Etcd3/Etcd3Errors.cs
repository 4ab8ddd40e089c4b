using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;

namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>Maps etcd's gRPC failures to the storage contract's errors.</summary>
internal static class Etcd3Errors
{
    /// <summary>Whether etcd refused a read or watch below its compacted revision (<c>ErrCompacted</c>).</summary>
    public static bool IsCompacted(RpcException ex) =>
        ex.StatusCode == StatusCode.OutOfRange && ex.Status.Detail.Contains("compacted", StringComparison.Ordinal);

    /// <summary>Whether etcd refused a revision it has not reached yet (<c>ErrFutureRev</c>).</summary>
    public static bool IsFutureRevision(RpcException ex) =>
        ex.StatusCode == StatusCode.OutOfRange && ex.Status.Detail.Contains("future revision", StringComparison.Ordinal);

    /// <summary>
    /// Whether the call certainly never reached etcd (no connection could be made, or no member was
    /// ready to take it), so that even a write may be sent again.
    /// </summary>
    public static bool IsNotSent(RpcException ex)
    {
        if (ex.StatusCode != StatusCode.Unavailable)
        {
            return false;
        }

        for (Exception? e = ex.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
                || e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
            {
                return true;
            }
        }

        // The load balancer fails a call fast, before sending it, when no member is ready.
        return ex.Status.DebugException is null && ex.Status.Detail.Contains("subchannel", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a read may be sent again after <paramref name="ex"/> (within its deadline).</summary>
    public static bool IsRetryableRead(RpcException ex) => ex.StatusCode == StatusCode.Unavailable;

    /// <summary>The exception to throw for <paramref name="ex"/>.</summary>
    public static Exception Map(RpcException ex, string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The etcd request was cancelled.", ex, cancellationToken);
        }

        if (IsCompacted(ex))
        {
            return new StorageException(StorageErrorCode.Compacted, key, $"etcd: {ex.Status.Detail}", ex);
        }

        if (IsFutureRevision(ex))
        {
            return new ArgumentOutOfRangeException("revision", $"etcd: {ex.Status.Detail}");
        }

        var message = ex.StatusCode == StatusCode.DeadlineExceeded
            ? $"etcd did not answer within {timeout.TotalSeconds:0.###}s"
            : $"etcd is unavailable: {ex.Status.Detail} ({ex.StatusCode})";
        return new StorageException(StorageErrorCode.Unavailable, key, message, ex);
    }
}
