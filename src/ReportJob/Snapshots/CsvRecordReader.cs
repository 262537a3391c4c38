using System.Text;

namespace ReportJob.Snapshots;

/// <summary>
/// Splits comma-separated records as Export-Csv and Excel write them: fields optionally in double quotes, <c>""</c>
/// for a quote inside, line breaks allowed inside quotes. Tracks the line each record starts on for error messages.
/// The delimiter is a comma unless given (Excel in a German locale writes semicolons).
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string name, char delimiter = ',')
{
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();

    /// <summary>The line number (1-based) the last record returned started on.</summary>
    public int Line { get; private set; }

    private int _linesRead;

    /// <summary>The next record's fields (the list is reused), or null at the end of the input.</summary>
    public IReadOnlyList<string>? Read()
    {
        string? line;
        do
        {
            line = reader.ReadLine();
            if (line is null)
            {
                return null;
            }

            _linesRead++;
        }
        while (line.Length == 0);

        Line = _linesRead;
        _fields.Clear();
        _field.Clear();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        // A quoted field goes on over a line break.
                        var next = reader.ReadLine() ?? throw new InvalidDataException($"{name}:{Line}: a quoted field is not closed before the end of the file (truncated file?)");
                        _linesRead++;
                        _field.Append('\n');
                        line = next;
                        i = 0;
                        continue;
                    }

                    var c = line[i];
                    if (c == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            _field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    _field.Append(c);
                    i++;
                }

                if (i < line.Length && line[i] != delimiter)
                {
                    throw new InvalidDataException($"{name}:{_linesRead}: unexpected '{line[i]}' after a closing quote at column {i + 1}");
                }
            }
            else
            {
                var comma = line.IndexOf(delimiter, i);
                var end = comma < 0 ? line.Length : comma;
                _field.Append(line, i, end - i);
                i = end;
            }

            _fields.Add(_field.ToString());
            _field.Clear();
            if (i >= line.Length)
            {
                return _fields;
            }

            i++; // the delimiter
            if (i == line.Length)
            {
                _fields.Add("");
                return _fields;
            }
        }
    }
}
