namespace ReportJob.NetFlow;

/// <summary>What <c>reportjob flows top --by</c> ranks.</summary>
public enum FlowTopBy
{
    Src,
    Dst,
    Conversation,
    Port,
    Proto,
    Site,
}
