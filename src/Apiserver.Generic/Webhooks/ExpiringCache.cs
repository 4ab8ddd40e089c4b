using System.Collections.Concurrent;

namespace Apiserver.Generic.Webhooks;

/// <summary>Webhook answers kept for a time each (kube's <c>cache.LRUExpireCache</c>), bounded in size.</summary>
internal sealed class ExpiringCache<TKey, TValue>(int capacity, TimeProvider? time = null) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, DateTimeOffset Expires)> _entries = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The value stored for <paramref name="key"/>, unless it has expired.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > _time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Stores <paramref name="value"/> for <paramref name="ttl"/> (nothing when the TTL is not positive).</summary>
    public void Set(TKey key, TValue value, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }
        var now = _time.GetUtcNow();
        if (_entries.Count >= capacity)
        {
            foreach (var expired in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
            {
                _entries.TryRemove(expired, out _);
            }
            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }
        }
        _entries[key] = (value, now + ttl);
    }
}
