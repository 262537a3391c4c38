namespace ReportJob.Cli;

/// <summary>How a verb prints its rows on stdout.</summary>
internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}
