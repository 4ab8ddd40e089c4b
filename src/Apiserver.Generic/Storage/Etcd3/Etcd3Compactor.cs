using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;

namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>
/// Compacts etcd periodically the way kube-apiserver does: every interval, to the revision seen at
/// the previous tick. Replicas sharing one etcd agree through a compare-and-swap on the version of
/// <c>compact_rev_key</c>, so only one of them compacts per interval.
/// </summary>
internal sealed class Etcd3Compactor
{
    private readonly Etcd3Client _client;
    private readonly Func<long, CancellationToken, ValueTask> _compact;
    private readonly TimeSpan _interval;

    public Etcd3Compactor(Etcd3Client client, TimeSpan interval, Func<long, CancellationToken, ValueTask> compact)
    {
        _client = client;
        _interval = interval;
        _compact = compact;
    }

    /// <summary>Runs until <paramref name="stopping"/> is cancelled; failures are retried at the next tick.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        long version = 0;
        long revision = 0;
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    (version, revision) = await TickAsync(version, revision, stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is StorageException or ArgumentOutOfRangeException or ObjectDisposedException)
                {
                    // Try again at the next tick (or stop, the store is closing).
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The store is closing.
        }
    }

    /// <summary>
    /// One tick: claims this interval's compaction if no replica has since <paramref name="version"/>,
    /// and then compacts to <paramref name="revision"/> (the revision seen a tick ago). Returns the
    /// version to expect next time and the revision to compact to then.
    /// </summary>
    private async Task<(long Version, long Revision)> TickAsync(long version, long revision, CancellationToken cancellationToken)
    {
        var key = Etcd3Keys.CompactRevisionKey;
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = key,
            Target = Compare.Types.CompareTarget.Version,
            Result = Compare.Types.CompareResult.Equal,
            Version = version,
        });
        txn.Success.Add(new RequestOp
        {
            RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(revision.ToString(CultureInfo.InvariantCulture)) },
        });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        var response = await _client.TxnAsync(txn, key.ToStringUtf8(), cancellationToken).ConfigureAwait(false);
        var current = response.Header.Revision;
        if (!response.Succeeded)
        {
            // Another replica compacted (or claimed to) since: follow its count.
            var kvs = response.Responses[0].ResponseRange.Kvs;
            return (kvs.Count > 0 ? kvs[0].Version : 0, current);
        }

        if (revision > 0)
        {
            try
            {
                await _compact(revision, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException ex) when (ex.Code == StorageErrorCode.Compacted)
            {
                // Someone compacted further already.
            }
        }

        return (version + 1, current);
    }
}
