using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Apiserver.Bench.Servers;

/// <summary>The run's own key prefix in a shared etcd, removed at the end so that a run leaves nothing behind.</summary>
internal static class EtcdPrefix
{
    /// <summary>Deletes every key under <paramref name="prefix"/>; a failure is reported, not thrown.</summary>
    public static async Task DeleteAsync(string endpoint, string prefix)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(endpoint);
            var kv = new KV.KVClient(channel);
            var end = prefix[..^1] + (char)(prefix[^1] + 1);
            var response = await kv.DeleteRangeAsync(
                new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ByteString.CopyFromUtf8(end) },
                deadline: DateTime.UtcNow.AddSeconds(30));
            Console.Error.WriteLine($"removed {response.Deleted} keys under {prefix} from etcd");
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or HttpRequestException)
        {
            Console.Error.WriteLine($"warning: could not remove {prefix} from etcd: {e.Message}");
        }
    }
}
