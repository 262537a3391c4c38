namespace ReportJob.NetFlow;

/// <summary>
/// A bucket's totals per host as source, per host as destination and per protocol/destination port, summed from its
/// conversations when its rows are made (every record is in exactly one conversation). One instance serves every
/// bucket the writing thread turns into rows, so these tables exist once, not once per bucket held or in flight.
/// </summary>
internal sealed class BucketTotals
{
    public AggregateTable<AddressKey, FlowCounters> Sources { get; } = new(256);

    public AggregateTable<AddressKey, FlowCounters> Destinations { get; } = new(256);

    public AggregateTable<PortKey, FlowCounters> Ports { get; } = new(256);

    /// <summary>Replaces the totals with those of <paramref name="conversations"/> (in the order each key was first seen).</summary>
    public void Sum(AggregateTable<ConversationKey, FlowCounters> conversations)
    {
        Sources.Clear();
        Destinations.Clear();
        Ports.Clear();
        foreach (ref readonly var e in conversations.Entries)
        {
            Sources.GetOrAdd(new AddressKey(e.Key.Source)).Add(e.Value);
            Destinations.GetOrAdd(new AddressKey(e.Key.Destination)).Add(e.Value);
            Ports.GetOrAdd(new PortKey(e.Key.Protocol, e.Key.DestinationPort)).Add(e.Value);
        }
    }
}
