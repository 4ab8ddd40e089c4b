using Etcdserverpb;
using static Etcdserverpb.Compare.Types;

namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>The etcd transactions behind create, compare-and-swap and delete, and what their failures mean.</summary>
internal static class Etcd3Txns
{
    /// <summary>Put if absent: the key's create revision is 0 only when it does not exist.</summary>
    public static TxnRequest Create(string key, ReadOnlyMemory<byte> value)
    {
        var k = Etcd3Keys.Key(key);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = k, Target = CompareTarget.Create, Result = CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = k, Value = Etcd3Keys.Value(value) } });
        return txn;
    }

    /// <summary>
    /// Put if the key exists at <paramref name="expectedModRevision"/>; on success also reads the key's
    /// revisions (response 1), on failure reads them to tell a missing key from a conflict (response 0).
    /// </summary>
    public static TxnRequest Update(string key, long expectedModRevision, ReadOnlyMemory<byte> value)
    {
        var k = Etcd3Keys.Key(key);
        var txn = Guarded(k, expectedModRevision);
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = k, Value = Etcd3Keys.Value(value) } });
        txn.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = k, KeysOnly = true } });
        return txn;
    }

    /// <summary>Delete if the key exists (at <paramref name="expectedModRevision"/> when given), returning the last value.</summary>
    public static TxnRequest Delete(string key, long? expectedModRevision)
    {
        var k = Etcd3Keys.Key(key);
        var txn = Guarded(k, expectedModRevision);
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = k, PrevKv = true } });
        return txn;
    }

    /// <summary>Why a guarded transaction failed: KeyNotFound when the key is absent, else Conflict.</summary>
    public static StorageException Failure(string key, long? expectedModRevision, TxnResponse response)
    {
        var current = response.Responses[0].ResponseRange.Kvs;
        return current.Count == 0
            ? new StorageException(StorageErrorCode.KeyNotFound, key, $"key {key} not found")
            : new StorageException(
                StorageErrorCode.Conflict, key, $"key {key} was modified at revision {current[0].ModRevision}, not {expectedModRevision}");
    }

    /// <summary>
    /// A transaction whose success branch runs only if the key exists (a missing key's modification
    /// revision is 0, so comparing that alone would let an update create it) and, when given, was last
    /// modified at <paramref name="expectedModRevision"/>.
    /// </summary>
    private static TxnRequest Guarded(Google.Protobuf.ByteString key, long? expectedModRevision)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = key, Target = CompareTarget.Version, Result = CompareResult.Greater, Version = 0 });
        if (expectedModRevision is { } expected)
        {
            txn.Compare.Add(new Compare { Key = key, Target = CompareTarget.Mod, Result = CompareResult.Equal, ModRevision = expected });
        }

        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key, KeysOnly = true } });
        return txn;
    }
}
