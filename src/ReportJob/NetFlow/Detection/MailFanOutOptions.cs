using System.ComponentModel.DataAnnotations;

namespace ReportJob.NetFlow;

/// <summary>Mail fan-out detection (spam bots): sources opening SMTP connections to many distinct destinations.</summary>
public sealed class MailFanOutOptions
{
    /// <summary>TCP destination ports counted as mail delivery (SMTP relay; submission ports go to one's own server).</summary>
    public List<int> Ports { get; set; } = [25];

    /// <summary>A source that opened flows to these ports on at least this many distinct destinations in the window is flagged.</summary>
    [Range(2, 1_000_000)]
    public int MinDestinations { get; set; } = 50;

    /// <summary>Sources that deliver mail by design (your mail servers): addresses or CIDR prefixes, never flagged.</summary>
    public List<string> AllowedSources { get; set; } = [];

    /// <summary>Most distinct destinations kept as evidence per source, hour and file; must be at least <see cref="MinDestinations"/>.</summary>
    [Range(2, 1_000_000)]
    public int EvidenceLimit { get; set; } = 1024;

    /// <summary>A source's mail flows of one hour and file are stored when they reached at least this many destinations.</summary>
    [Range(1, 1_000_000)]
    public int MinDestinationsToKeep { get; set; } = 4;
}
