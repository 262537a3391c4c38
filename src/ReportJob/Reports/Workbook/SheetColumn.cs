namespace ReportJob.Reports.Workbook;

public sealed record SheetColumn(string Header, CellKind Kind, double Width);
