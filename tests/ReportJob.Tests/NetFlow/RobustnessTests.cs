using FsCheck;
using FsCheck.Fluent;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Random and mutated input never makes the decoder or the capture reader throw (except the
/// documented whole-file <see cref="CaptureFormatException"/>), hang or read out of range.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly Lazy<byte[][]> CorpusDatagrams = new(() =>
        Directory.GetFiles(Corpus.Path("logstash-netflow", "dat"), "*.dat").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray());

    private static readonly Lazy<byte[][]> CorpusPcaps = new(() =>
        Directory.GetFiles(Corpus.Path("akvorado-netflow"), "*.pcap").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray());

    [Theory]
    [InlineData("netflow5_test_invalid01.dat")]
    [InlineData("netflow5_test_invalid02.dat")]
    [InlineData("netflow9_test_invalid01.dat")]
    public void Decode_InvalidCorpusFiles_DoesNotThrow(string file)
    {
        var sink = new CountingSink();
        var result = new FlowDecoder().Decode(Corpus.LogstashExporter, File.ReadAllBytes(Corpus.Path("logstash-netflow", "dat", file)), ref sink);
        Assert.True(result.FlowRecords >= 0);
    }

    [Fact]
    public void Decode_RandomBytesWithFlowHeaders_NeverThrows()
    {
        var gen =
            from version in Gen.Elements<ushort>(5, 9, 10, 7)
            from body in ArbMap.Default.GeneratorFor<byte[]>()
            select (byte[])[(byte)(version >> 8), (byte)version, .. body];
        Prop.ForAll(gen.ToArbitrary(), bytes =>
        {
            var decoder = new FlowDecoder();
            var sink = new CountingSink();
            decoder.Decode(Corpus.LogstashExporter, bytes, ref sink);
            decoder.Decode(Corpus.LogstashExporter, bytes, ref sink);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_MutatedCorpusDatagrams_NeverThrows()
    {
        var datagrams = CorpusDatagrams.Value;
        var gen =
            from index in Gen.Choose(0, datagrams.Length - 1)
            from flips in Gen.ListOf(Gen.Zip(Gen.Choose(0, 4095), Gen.Choose(0, 255)))
            from cut in Gen.Choose(0, 4096)
            select Mutate(datagrams[index], flips, cut);
        var decoder = new FlowDecoder();
        Prop.ForAll(gen.ToArbitrary(), bytes =>
        {
            // A shared session too: state built from one mutated packet must not break the next.
            var sink = new CountingSink();
            decoder.Decode(Corpus.LogstashExporter, bytes, ref sink);
            var fresh = new FlowDecoder();
            fresh.Decode(Corpus.LogstashExporter, bytes, ref sink);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void CaptureReader_MutatedCorpusPcaps_OnlyThrowsCaptureFormatException()
    {
        var pcaps = CorpusPcaps.Value;
        var gen =
            from index in Gen.Choose(0, pcaps.Length - 1)
            from flips in Gen.ListOf(Gen.Zip(Gen.Choose(0, 2047), Gen.Choose(0, 255)))
            from cut in Gen.Choose(0, 2048)
            select Mutate(pcaps[index], flips, cut);
        Prop.ForAll(gen.ToArbitrary(), bytes =>
        {
            try
            {
                using var reader = CaptureReader.Open(new MemoryStream(bytes));
                var decoder = new FlowDecoder();
                var sink = new CountingSink();
                var guard = 0;
                while (reader.TryRead(out var d))
                {
                    decoder.Decode(in d, ref sink);
                    Assert.True(++guard < 100_000, "reader did not make progress");
                }
            }
            catch (CaptureFormatException)
            {
                // Documented whole-file failure.
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void CaptureReader_RandomBytes_OnlyThrowsCaptureFormatException()
    {
        var gen =
            from magic in Gen.Elements<byte[]>([0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D], [0x0A, 0x0D, 0x0D, 0x0A], [0x00, 0x09], [0x00, 0x0A], [0x00, 0x05])
            from body in ArbMap.Default.GeneratorFor<byte[]>()
            select (byte[])[.. magic, .. body];
        Prop.ForAll(gen.ToArbitrary(), bytes =>
        {
            try
            {
                using var reader = CaptureReader.Open(new MemoryStream(bytes));
                var guard = 0;
                while (reader.TryRead(out _))
                {
                    Assert.True(++guard < 100_000);
                }
            }
            catch (CaptureFormatException)
            {
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static byte[] Mutate(byte[] original, IEnumerable<(int Position, int Value)> flips, int cut)
    {
        var bytes = original.Length > 0 ? (byte[])original.Clone() : [0];
        foreach (var (position, value) in flips)
        {
            bytes[position % bytes.Length] = (byte)value;
        }

        return cut < bytes.Length && cut % 3 == 0 ? bytes[..cut] : bytes;
    }
}
