namespace ReportJob.Tests.TestSupport;

/// <summary>A theory that needs real tools: skipped with a reason when they are missing, unless CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        Skip = ExternalTools.SkipReason(tools);
    }
}
