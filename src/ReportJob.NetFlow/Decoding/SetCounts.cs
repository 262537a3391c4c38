namespace ReportJob.NetFlow.Decoding;

/// <summary>Records counted while walking one packet.</summary>
internal struct SetCounts
{
    public int Flows;
    public int Options;
    public int Templates;
    public bool Pended;
}
