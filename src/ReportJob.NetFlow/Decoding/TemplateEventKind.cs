namespace ReportJob.NetFlow.Decoding;

/// <summary>What happened to a template.</summary>
public enum TemplateEventKind
{
    /// <summary>A template id seen for the first time.</summary>
    Added,

    /// <summary>The same definition sent again (a refresh, not a collision).</summary>
    Refreshed,

    /// <summary>A different definition replaced the cached one (RFC 3954 §7).</summary>
    Replaced,

    /// <summary>Withdrawn by an IPFIX template record with field count 0 (RFC 7011 §8.1).</summary>
    Withdrawn,

    /// <summary>Dropped because the exporter restarted (sysUptime went back or the sequence reset).</summary>
    ExporterReset,

    /// <summary>Dropped after the idle timeout.</summary>
    Expired,
}
