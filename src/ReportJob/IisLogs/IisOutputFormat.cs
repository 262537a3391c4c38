namespace ReportJob.IisLogs;

public enum IisOutputFormat
{
    Table,
    Csv,
    Json,
}
