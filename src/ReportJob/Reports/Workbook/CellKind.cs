namespace ReportJob.Reports.Workbook;

/// <summary>How a column's values are written: real numbers and dates, never numbers as text.</summary>
public enum CellKind
{
    Text,
    Integer,
    Decimal,
    Percent,
    DateTime,
}
