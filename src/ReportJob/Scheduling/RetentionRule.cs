namespace ReportJob.Scheduling;

/// <summary>One entry of <c>Scheduling:Retention:Tables</c>: delete rows of <see cref="Table"/> whose <see cref="TimeColumn"/> is older than <see cref="Days"/>.</summary>
public sealed class RetentionRule
{
    /// <summary>Table name (letters, digits, underscore).</summary>
    public string Table { get; set; } = "";

    /// <summary>The UTC time column the age is measured on.</summary>
    public string TimeColumn { get; set; } = "";

    /// <summary>Rows older than this many days are deleted.</summary>
    public int Days { get; set; }
}
