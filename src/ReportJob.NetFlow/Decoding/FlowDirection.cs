namespace ReportJob.NetFlow.Decoding;

/// <summary>Flow direction as exported in IE 61 (flowDirection / DIRECTION).</summary>
public enum FlowDirection : byte
{
    /// <summary>Observed on an ingress interface (value 0).</summary>
    Ingress = 0,

    /// <summary>Observed on an egress interface (value 1).</summary>
    Egress = 1,

    /// <summary>The record does not say.</summary>
    Unknown = 255,
}
