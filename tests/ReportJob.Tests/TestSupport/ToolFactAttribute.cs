namespace ReportJob.Tests.TestSupport;

/// <summary>A fact that needs real tools: skipped with a reason when they are missing, unless CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        Skip = ExternalTools.SkipReason(tools);
    }
}
