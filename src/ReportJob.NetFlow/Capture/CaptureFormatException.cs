namespace ReportJob.NetFlow.Decoding;

/// <summary>The capture file as a whole cannot be read further (bad magic, impossible or truncated record).</summary>
public sealed class CaptureFormatException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public CaptureFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CaptureFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem at a byte offset (the offset is part of the message).</summary>
    public CaptureFormatException(string message, long offset)
        : base($"{message} (at byte offset {offset})")
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the file where the problem was found (-1 when unknown).</summary>
    public long Offset { get; } = -1;
}
