namespace ReportJob.NetFlow;

/// <summary>One source's tiny flows in one hour: all of them, and how many distinct hosts and ports are held as evidence.</summary>
internal struct ScanSummary
{
    public ScanTarget All;
    public int Hosts;
    public int Ports;
}
