using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ReportJob.Reports.Workbook;

/// <summary>
/// Writes sheets with <see cref="OpenXmlWriter"/>, row by row: header row frozen, auto-filter over the data,
/// column widths, number and date formats. Strings go inline (no shared-string table to hold in memory).
/// </summary>
public static class WorkbookWriter
{
    private const uint StyleHeader = 1;
    private const uint StyleInteger = 2;
    private const uint StyleDecimal = 3;
    private const uint StylePercent = 4;
    private const uint StyleDateTime = 5;
    private const uint StyleTextQuoted = 6;

    public static void Write(Stream output, IReadOnlyList<SheetSpec> sheets)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();
        styles.Stylesheet.Save();

        var sheetRefs = new List<(string Id, string Name)>();
        var rowCounts = new List<int>();
        foreach (var sheet in sheets)
        {
            var part = workbookPart.AddNewPart<WorksheetPart>();
            rowCounts.Add(WriteSheet(part, sheet));
            sheetRefs.Add((workbookPart.GetIdOfPart(part), SheetName(sheet.Name)));
        }

        using (var writer = OpenXmlWriter.Create(workbookPart))
        {
            writer.WriteStartElement(new DocumentFormat.OpenXml.Spreadsheet.Workbook());
            writer.WriteStartElement(new Sheets());
            uint id = 1;
            foreach (var (relId, name) in sheetRefs)
            {
                writer.WriteElement(new Sheet { Id = relId, SheetId = id++, Name = name });
            }

            writer.WriteEndElement();
            var definedNames = new DefinedNames();
            for (var i = 0; i < sheets.Count; i++)
            {
                if (sheets[i].Columns.Count > 0)
                {
                    definedNames.Append(new DefinedName($"'{SheetName(sheets[i].Name)}'!$A$1:${Column(sheets[i].Columns.Count)}${rowCounts[i] + 1}")
                    {
                        Name = "_xlnm._FilterDatabase",
                        LocalSheetId = (uint)i,
                        Hidden = true,
                    });
                }
            }

            writer.WriteElement(definedNames);
            writer.WriteEndElement();
        }
    }

    /// <summary>Writes one sheet; returns its number of data rows.</summary>
    private static int WriteSheet(WorksheetPart part, SheetSpec sheet)
    {
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new Worksheet());
        writer.WriteStartElement(new SheetViews());
        writer.WriteStartElement(new SheetView { WorkbookViewId = 0, TabSelected = false });
        writer.WriteElement(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
        writer.WriteEndElement();
        writer.WriteEndElement();

        writer.WriteStartElement(new Columns());
        for (var i = 0; i < sheet.Columns.Count; i++)
        {
            writer.WriteElement(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = sheet.Columns[i].Width, CustomWidth = true });
        }

        writer.WriteEndElement();

        writer.WriteStartElement(new SheetData());
        WriteRow(writer, 1, sheet.Columns.Select(c => (object?)c.Header).ToArray(), null);
        var rowIndex = 1;
        foreach (var row in sheet.Rows)
        {
            rowIndex++;
            WriteRow(writer, rowIndex, row, sheet.Columns);
        }

        writer.WriteEndElement();
        if (sheet.Columns.Count > 0)
        {
            writer.WriteElement(new AutoFilter { Reference = $"A1:{Column(sheet.Columns.Count)}{Math.Max(rowIndex, 1)}" });
        }

        writer.WriteEndElement();
        return rowIndex - 1;
    }

    private static void WriteRow(OpenXmlWriter writer, int rowIndex, object?[] values, IReadOnlyList<SheetColumn>? columns)
    {
        writer.WriteStartElement(new Row { RowIndex = (uint)rowIndex });
        for (var i = 0; i < values.Length; i++)
        {
            var reference = Column(i + 1) + rowIndex.ToString(CultureInfo.InvariantCulture);
            var value = values[i];
            if (value is null)
            {
                continue;
            }

            if (columns is null)
            {
                writer.WriteElement(TextCell(reference, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", StyleHeader));
                continue;
            }

            var kind = columns[i].Kind;
            switch (value)
            {
                case string s:
                    writer.WriteElement(TextCell(reference, s, null));
                    break;
                case DateTime d when kind == CellKind.DateTime:
                    writer.WriteElement(NumberCell(reference, d.ToOADate(), StyleDateTime));
                    break;
                case IConvertible number when value is not bool and not char and not DateTime:
                    var n = number.ToDouble(CultureInfo.InvariantCulture);
                    if (double.IsNaN(n) || double.IsInfinity(n))
                    {
                        break;
                    }

                    writer.WriteElement(NumberCell(reference, n, kind switch
                    {
                        CellKind.Integer => StyleInteger,
                        CellKind.Percent => StylePercent,
                        _ => StyleDecimal,
                    }));
                    break;
                default:
                    writer.WriteElement(TextCell(reference, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", null));
                    break;
            }
        }

        writer.WriteEndElement();
    }

    private static Cell TextCell(string reference, string text, uint? style)
    {
        var safe = CellText.Sanitize(text);
        var cell = new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(safe) { Space = SpaceProcessingModeValues.Preserve }) };
        if (style is not null)
        {
            cell.StyleIndex = style;
        }
        else if (CellText.LooksLikeFormula(safe))
        {
            // quotePrefix keeps "=cmd|..." as text even when a user edits the cell or saves as CSV from Excel.
            cell.StyleIndex = StyleTextQuoted;
        }

        return cell;
    }

    private static Cell NumberCell(string reference, double value, uint style) =>
        new() { CellReference = reference, CellValue = new CellValue(value.ToString("R", CultureInfo.InvariantCulture)), StyleIndex = style };

    /// <summary>Excel column letters: 1 → A, 27 → AA.</summary>
    public static string Column(int index)
    {
        var name = "";
        while (index > 0)
        {
            var rem = (index - 1) % 26;
            name = (char)('A' + rem) + name;
            index = (index - 1) / 26;
        }

        return name;
    }

    /// <summary>Sheet names: at most 31 characters, none of []:*?/\.</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Select(ch => "[]:*?/\\".Contains(ch, StringComparison.Ordinal) ? '_' : ch).ToArray());
        return clean.Length <= 31 ? clean : clean[..31];
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd hh:mm" }) { Count = 1 },
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }), new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDCE6F0" }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true },
            new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 10, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { QuotePrefix = true }) { Count = 7 });
}
