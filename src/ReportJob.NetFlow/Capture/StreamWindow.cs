namespace ReportJob.NetFlow.Decoding;

/// <summary>A bounded sliding window over a stream: memory stays O(largest record), whatever the file size.</summary>
internal sealed class StreamWindow
{
    private readonly Stream _stream;
    private readonly int _maxLength;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;

    public StreamWindow(Stream stream, int maxLength)
    {
        _stream = stream;
        _maxLength = maxLength;
    }

    /// <summary>File offset of the first unread byte.</summary>
    public long Position => _bufferOffset + _start;

    public int Available => _end - _start;

    public byte[] Buffer => _buffer;

    public int Start => _start;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Makes at least <paramref name="count"/> bytes available; false at end of stream.</summary>
    public bool Ensure(int count)
    {
        if (count > _maxLength + 64)
        {
            throw new CaptureFormatException($"Record of {count} bytes exceeds the limit of {_maxLength}", Position);
        }

        while (_end - _start < count)
        {
            if (_eof)
            {
                return false;
            }

            if (_buffer.Length - _start < count)
            {
                var live = _end - _start;
                if (_buffer.Length < count)
                {
                    var bigger = new byte[Math.Max(count, _buffer.Length * 2)];
                    _buffer.AsSpan(_start, live).CopyTo(bigger);
                    _buffer = bigger;
                }
                else
                {
                    _buffer.AsSpan(_start, live).CopyTo(_buffer);
                }

                _bufferOffset += _start;
                _start = 0;
                _end = live;
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                _eof = true;
            }
            else
            {
                _end += read;
            }
        }

        return true;
    }

    public void Advance(int count) => _start += count;
}
