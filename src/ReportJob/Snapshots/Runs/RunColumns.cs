using System.Globalization;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// The columns of <c>connection_run</c> every reader selects, in this order, and how one row becomes a
/// <see cref="ConnectionRun"/>. A row a damaged store could hold (a value of the wrong kind or size, a state that is no
/// TCP state, a port out of range, a run that ends before it starts) stops the read with an error that names it.
/// </summary>
internal static class RunColumns
{
    public const string Select = "first_at, server_id, remote_address, remote_port, local_address, local_port, last_at, state, created_at, first_seen, seq";

    private static readonly string[] Names = Select.Split(", ");

    public static ConnectionRun Read(RowCursor cursor, long row)
    {
        var column = 0;
        try
        {
            var first = cursor.Int64(column = 0);
            var server = cursor.Int64(column = 1);
            var remote = Address(cursor, column = 2);
            var remotePort = Port(cursor, column = 3);
            var local = Address(cursor, column = 4);
            var localPort = cursor.Int64(column = 5);
            var last = cursor.Int64(column = 6);
            var state = cursor.Int64(column = 7);
            var created = cursor.IsNull(column = 8) ? (long?)null : Ticks(cursor, 8);
            var firstSeen = cursor.IsNull(column = 9) ? (long?)null : Ticks(cursor, 9);
            var seq = cursor.Int64(column = 10);
            column = -1;
            if (!Enum.IsDefined((TcpState)state))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"state {state} is not a TCP state"));
            }

            if (last < first || server is <= 0 or > int.MaxValue)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a run of server {server} from {first} to {last}"));
            }

            if (!ConnectionKey.TryStored(local, localPort, remote, remotePort, out var key))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"local_port {localPort} is not a port (with its copy number above 16 bits)"));
            }

            return new ConnectionRun((int)server, seq, first, last, key, (TcpState)state, created, firstSeen);
        }
        catch (InvalidDataException ex)
        {
            var what = column >= 0 ? Names[column] + ": " : "";
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"connection_run row {row}: {what}{ex.Message}"), ex);
        }
    }

    private static RunAddress Address(RowCursor cursor, int column)
    {
        var bytes = cursor.Bytes(column);
        return RunAddress.Read(bytes) ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{bytes.Length} bytes are no address (4, 16 or 20)"));
    }

    private static int Port(RowCursor cursor, int column)
    {
        var port = cursor.Int64(column);
        return port is >= 0 and <= 65535 ? (int)port : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{port} is not a port"));
    }

    private static long Ticks(RowCursor cursor, int column)
    {
        var ticks = cursor.Int64(column);
        return ticks is >= 0 and <= 3155378975999999999 ? ticks : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{ticks} is not a time"));
    }
}
