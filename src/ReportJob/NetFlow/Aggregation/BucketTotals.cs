namespace ReportJob.NetFlow;

/// <summary>
/// A bucket's totals per host as source, per host as destination and per protocol/service port, summed from its
/// conversations when its rows are made (every record is in exactly one conversation). One instance serves every
/// bucket the writing thread turns into rows, so these tables exist once, not once per bucket held or in flight.
/// </summary>
internal sealed class BucketTotals
{
    public AggregateTable<AddressKey, FlowCounters> Sources { get; } = new(256);

    public AggregateTable<AddressKey, FlowCounters> Destinations { get; } = new(256);

    public AggregateTable<PortKey, FlowCounters> Ports { get; } = new(256);

    private long[] _scratch = [];
    private int[] _indexes = [];
    private int[] _identity = [];

    /// <summary>Lets go of the tables' and buffers' memory (at the end of a file; see <see cref="FlowAggregator.Release"/>).</summary>
    public void Release()
    {
        Sources.Release();
        Destinations.Release();
        Ports.Release();
        (_scratch, _indexes, _identity) = ([], [], []);
    }

    /// <summary>A buffer of at least <paramref name="length"/> values for the top-N selection, kept for the next bucket.</summary>
    public Span<long> Scratch(int length) => Buffer(ref _scratch, length);

    /// <summary>A buffer of exactly <paramref name="length"/> entry indexes (the ports grouped by protocol), kept for the next bucket.</summary>
    public Span<int> Indexes(int length) => Buffer(ref _indexes, length)[..length];

    /// <summary>The indexes 0 to <paramref name="length"/> - 1 (all entries of a table, in the order added), kept for the next bucket.</summary>
    public ReadOnlySpan<int> Identity(int length)
    {
        if (_identity.Length < length)
        {
            _identity = new int[Math.Max(length, _identity.Length * 2)];
            for (var i = 0; i < _identity.Length; i++)
            {
                _identity[i] = i;
            }
        }

        return _identity.AsSpan(0, length);
    }

    // One buffer each for the writer's whole file: a shared pool would keep a copy per thread that the writer's
    // continuations happen to run on.
    private static Span<T> Buffer<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }

        return buffer;
    }

    /// <summary>Replaces the totals with those of <paramref name="conversations"/> (in the order each key was first seen).</summary>
    /// <remarks>
    /// Compiled fully optimised at first call: it runs a few times per file over a hundred thousand conversations each,
    /// so as tier-0 code (and then on-stack replacement) it took most of a first file's row making.
    /// </remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Sum(ReadOnlySpan<AggregateTable<ConversationKey, FlowCounters>.Entry> conversations)
    {
        Sources.Clear();
        Destinations.Clear();
        Ports.Clear();
        foreach (ref readonly var e in conversations)
        {
            Sources.GetOrAdd(new AddressKey(e.Key.Source)).Add(e.Value);
            Destinations.GetOrAdd(new AddressKey(e.Key.Destination)).Add(e.Value);
            Ports.GetOrAdd(new PortKey(e.Key.Protocol, e.Key.ServicePort)).Add(e.Value);
        }
    }
}
