namespace ReportJob.NetFlow.Decoding;

public sealed partial class CaptureReader
{
    private const int PcapRecordHeader = 16;

    private bool TryReadPcap(out ExportDatagram datagram)
    {
        while (true)
        {
            var offset = _window.Position;
            if (!_window.Ensure(PcapRecordHeader))
            {
                if (_window.Available == 0)
                {
                    datagram = default;
                    return false;
                }

                datagram = default;
                return CutShort(offset, $"{_window.Available} of a pcap record header's {PcapRecordHeader} bytes present");
            }

            var header = _window.Span;
            var seconds = Read32(header);
            var fraction = Read32(header[4..]);
            var captured = Read32(header[8..]);
            if (captured > (uint)_options.MaxFrameLength)
            {
                throw new CaptureFormatException($"pcap record claims {captured} captured bytes (limit {_options.MaxFrameLength})", offset);
            }

            if (!_window.Ensure(PcapRecordHeader + (int)captured))
            {
                datagram = default;
                return CutShort(offset, $"a pcap record announces {captured} bytes, {_window.Available - PcapRecordHeader} present");
            }

            var ticks = (seconds * TimeSpan.TicksPerSecond) + (_nanosecond ? fraction / 100 : fraction * 10L);
            var frameStart = _window.Start + PcapRecordHeader;
            _window.Advance(PcapRecordHeader + (int)captured);
            Statistics.Frames++;
            if (TryParseFrame(_linkType, _window.Buffer, frameStart, (int)captured, ticks, offset, out datagram))
            {
                return true;
            }
        }
    }
}
