namespace ReportJob.NetFlow.Decoding;

/// <summary>A pcapng interface: link type and timestamp resolution (if_tsresol, if_tsoffset).</summary>
internal readonly record struct PcapNgInterface(int LinkType, byte Resolution, long OffsetSeconds)
{
    /// <summary>Converts a timestamp in interface units to ticks since the Unix epoch.</summary>
    public long ToTicks(ulong units)
    {
        // pcapng §4.2 if_tsresol: MSB clear → 10^-n seconds, set → 2^-n seconds.
        var exponent = Resolution & 0x7F;
        UInt128 ticks;
        if ((Resolution & 0x80) != 0)
        {
            ticks = exponent >= 64 ? 0 : ((UInt128)units * (UInt128)TimeSpan.TicksPerSecond) >> exponent;
        }
        else if (exponent <= 7)
        {
            ticks = (UInt128)units * Pow10(7 - exponent);
        }
        else
        {
            ticks = exponent > 38 ? 0 : (UInt128)units / Pow10(exponent - 7);
        }

        var result = ticks > (UInt128)long.MaxValue ? long.MaxValue : (long)ticks;
        var offset = OffsetSeconds * TimeSpan.TicksPerSecond;
        return result > long.MaxValue - Math.Abs(offset) ? long.MaxValue : result + offset;
    }

    private static UInt128 Pow10(int n)
    {
        UInt128 value = 1;
        for (var i = 0; i < n; i++)
        {
            value *= 10;
        }

        return value;
    }
}
