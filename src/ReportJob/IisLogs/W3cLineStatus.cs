namespace ReportJob.IisLogs;

internal enum W3cLineStatus
{
    Record,
    Directive,
    Blank,
    Bad,
}
