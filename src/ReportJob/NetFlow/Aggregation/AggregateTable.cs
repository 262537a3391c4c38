using System.Runtime.CompilerServices;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// The aggregation tables of the ingest: value-type keys and counters stored densely in insertion order, found through
/// a compact open-addressing index (linear probing, power-of-two size, at most 3/4 full) of 8-byte slots that each
/// hold 32 bits of the key's hash and the entry's position. A new key (most conversations of a bucket are seen once)
/// probes only the index, 8 bytes a slot against the 64 of a conversation entry (and prefetched by the aggregator, see
/// <see cref="Prefetch"/>), and is appended to the entries; the entries are enumerated, selected from and cleared
/// without walking empty slots. Keys hash without a per-process seed (<see cref="IAggregateKey{TKey}"/>), and entries
/// keep the order the records came in, so which of equal entries a top-N keeps is the same on every run. No removal of
/// single keys: a table is filled, then cleared, or groups of its entries are moved out at once (<see cref="MoveOut"/>),
/// its capacity kept, so that it neither grows again nor asks the OS for fresh pages.
/// </summary>
internal sealed class AggregateTable<TKey, TValue>
    where TKey : struct, IAggregateKey<TKey>
    where TValue : struct
{
    private Slot[] _slots;
    private Entry[] _entries;
    private int _shift;
    private int _count;

    /// <summary>A table that holds <paramref name="capacity"/> entries before it first grows.</summary>
    public AggregateTable(int capacity = 48)
    {
        capacity = Math.Clamp(capacity, 8, 1 << 28);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(capacity * 4L / 3 + 1));
        _slots = new Slot[size];
        _entries = new Entry[capacity];
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
    }

    public int Count => _count;

    /// <summary>Empties the table, keeping its capacity (only the index is cleared; entries are overwritten when added).</summary>
    public void Clear()
    {
        Array.Clear(_slots);
        _count = 0;
    }

    /// <summary>Empties the table and lets go of its arrays: it is as small as a new table of the least capacity.</summary>
    public void Release()
    {
        (_slots, _entries, _shift) = (new Slot[16], new Entry[8], 64 - 4);
        _count = 0;
    }

    /// <summary>The counters of <paramref name="key"/>, added as default when new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TValue GetOrAdd(in TKey key) => ref GetOrAdd(key, out _);

    /// <summary>The counters of <paramref name="key"/>, added as default when new (<paramref name="added"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TValue GetOrAdd(in TKey key, out bool added) => ref GetOrAdd(key, key.Hash(), out added);

    /// <summary>The same with the key's hash computed before (see <see cref="Prefetch"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TValue GetOrAdd(in TKey key, ulong hash, out bool added)
    {
        ref var slot = ref Probe(key, hash);
        added = slot.Tag == 0;
        if (!added)
        {
            return ref _entries[slot.Position].Value;
        }

        return ref Add(ref slot, key, hash);
    }

    /// <summary>The counters of <paramref name="key"/>, or a null reference (<see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>) when absent.</summary>
    public ref TValue Find(in TKey key) => ref Find(key, key.Hash());

    /// <summary>The same with the key's hash computed before.</summary>
    public ref TValue Find(in TKey key, ulong hash)
    {
        ref var slot = ref Probe(key, hash);
        if (slot.Tag == 0)
        {
            return ref Unsafe.NullRef<TValue>();
        }

        return ref _entries[slot.Position].Value;
    }

    /// <summary>
    /// Asks the CPU to load the index slot where a key of this <paramref name="hash"/> is looked up first. The
    /// aggregator does this for a batch of records before it counts them, so that the index's cache misses overlap
    /// instead of stalling one record after another. Only a hint: a table that grows meanwhile is still correct.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong hash)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            var slots = _slots;
            var i = (int)((hash * 0x9E37_79B9_7F4A_7C15UL) >> _shift);
            // A prefetch never faults, so a pointer the GC may have moved meanwhile costs at most a wasted load.
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref slots[i & (slots.Length - 1)]));
        }
    }

    public Enumerator GetEnumerator() => new(_entries, _count);

    /// <summary>The entries in the order they were added.</summary>
    public ReadOnlySpan<Entry> Entries => _entries.AsSpan(0, _count);

    private static uint Tag(ulong hash) => (uint)hash | 1;

    /// <summary>The key's slot, or the empty slot where it belongs (linear probing from the hash's home slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot Probe(in TKey key, ulong hash)
    {
        var slots = _slots;
        var entries = _entries;
        var mask = slots.Length - 1;
        var tag = Tag(hash);
        var i = (int)((hash * 0x9E37_79B9_7F4A_7C15UL) >> _shift);
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Tag == 0 || (slot.Tag == tag && entries[slot.Position].Key.Equals(key)))
            {
                return ref slot;
            }

            i = (i + 1) & mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref TValue Add(ref Slot slot, in TKey key, ulong hash)
    {
        if (_count == _entries.Length || _count >= _slots.Length / 4 * 3)
        {
            return ref AddAfterGrowing(key);
        }

        var position = _count++;
        slot.Tag = Tag(hash);
        slot.Position = position;
        ref var entry = ref _entries[position];
        entry.Key = key;
        entry.Value = default;
        return ref entry.Value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref TValue AddAfterGrowing(in TKey key)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, (int)Math.Min(_entries.Length * 2L, Array.MaxLength));
        }

        if (_count >= _slots.Length / 4 * 3)
        {
            _slots = new Slot[_slots.Length * 2];
            _shift--;
            Reindex();
        }

        return ref GetOrAdd(key);
    }

    /// <summary>
    /// Moves the entries that <paramref name="group"/> assigns a group (0 or more) into <paramref name="target"/>, each at
    /// its group's next position (<paramref name="next"/>, advanced), in the order they were added; the other entries
    /// stay, in their order, and the index is rebuilt for them. One pass over the entries plus one over those kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MoveOut<TGroup>(in TGroup group, Span<Entry> target, Span<int> next)
        where TGroup : struct, IEntryGroup<TKey>
    {
        var kept = 0;
        var entries = _entries;
        for (var i = 0; i < _count; i++)
        {
            ref readonly var e = ref entries[i];
            var g = group.Of(e.Key);
            if (g >= 0)
            {
                target[next[g]++] = e;
            }
            else
            {
                entries[kept++] = e;
            }
        }

        _count = kept;
        Array.Clear(_slots);
        Reindex();
    }

    /// <summary>Rebuilds the index (empty, of its current size) for the entries held.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Reindex()
    {
        var mask = _slots.Length - 1;
        for (var position = 0; position < _count; position++)
        {
            var hash = _entries[position].Key.Hash();
            var j = (int)((hash * 0x9E37_79B9_7F4A_7C15UL) >> _shift);
            while (_slots[j].Tag != 0)
            {
                j = (j + 1) & mask;
            }

            _slots[j] = new Slot { Tag = Tag(hash), Position = position };
        }
    }

    /// <summary>A slot of the index: 32 bits of the key's hash (0 = empty; a stored tag always has its low bit set) and the entry's position.</summary>
    private struct Slot
    {
        public uint Tag;
        public int Position;
    }

    internal struct Entry
    {
        public TKey Key;
        public TValue Value;
    }

    /// <summary>Enumerates the entries in the order they were added.</summary>
    public struct Enumerator(Entry[] entries, int count)
    {
        private int _index = -1;

        public readonly KeyValuePair<TKey, TValue> Current => new(entries[_index].Key, entries[_index].Value);

        public bool MoveNext() => ++_index < count;
    }
}

/// <summary>A key of an <see cref="AggregateTable{TKey,TValue}"/>: equality plus a well-mixed hash without a per-process seed.</summary>
internal interface IAggregateKey<TKey> : IEquatable<TKey>
    where TKey : struct
{
    ulong Hash();
}

/// <summary>Which group an entry moves to in <see cref="AggregateTable{TKey,TValue}.MoveOut"/> (negative: it stays).</summary>
internal interface IEntryGroup<TKey>
    where TKey : struct
{
    int Of(in TKey key);
}

/// <summary>Hash mixing for the aggregation keys (the finaliser of MurmurHash3's 64-bit variant).</summary>
internal static class AggregateHash
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51_AFD7_ED55_8CCDUL;
        x ^= x >> 33;
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(FlowAddress a) => Mix(a.Low ^ (a.High * 0xC2B2_AE3D_27D4_EB4FUL));
}
