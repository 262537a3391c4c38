using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Fixed-length templates are decoded through a resolved layout (one slot per record value); the
/// general field plan is the reference. Random templates and records must give identical flows both ways.
/// </summary>
public sealed class FixedLayoutDifferentialTests
{
    // Every id the decoder reads (duplicates and fallbacks included) and a few it skips.
    private static readonly ushort[] Ids =
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 27, 28, 29, 30, 34, 48, 50,
        61, 62, 85, 86, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 302, 305, 306, 309, 310, 60, 999,
    ];

    private static readonly ushort[] Lengths = [0, 1, 2, 3, 4, 4, 4, 6, 8, 8, 16, 16, 20];

    [Fact]
    public void Decode_RandomFixedTemplates_LayoutMatchesGeneralPlan()
    {
        var field = Gen.Zip(Gen.Elements(Ids), Gen.Elements(Lengths));
        var gen =
            from ipfix in ArbMap.Default.GeneratorFor<bool>()
            from fields in Gen.NonEmptyListOf(field)
            from records in Gen.Choose(0, 4)
            from padding in Gen.Choose(0, 3)
            from seed in ArbMap.Default.GeneratorFor<int>()
            select Packet(ipfix, fields.Take(24).ToArray(), records, padding, seed);
        Prop.ForAll(gen.ToArbitrary(), packet =>
        {
            var layout = Decode(packet, useFixedLayouts: true);
            var plan = Decode(packet, useFixedLayouts: false);
            Assert.Equal(plan.Result, layout.Result);
            Assert.Equal(plan.Flows, layout.Flows);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    private static (DecodeResult Result, FlowRecord[] Flows) Decode(byte[] packet, bool useFixedLayouts)
    {
        var decoder = new FlowDecoder { UseFixedLayouts = useFixedLayouts };
        var sink = new RecordingSink();
        var result = decoder.Decode(FlowAddress.Parse("192.0.2.9"), packet, ref sink);
        return (result, sink.Flows.ToArray());
    }

    private static byte[] Packet(bool ipfix, (ushort Id, ushort Length)[] fields, int records, int padding, int seed)
    {
        var random = new Random(seed);
        var recordLength = fields.Sum(f => f.Length);
        var templateSet = 4 + 4 + (fields.Length * 4);
        var dataSet = 4 + (records * recordLength) + padding;
        var header = ipfix ? 16 : 20;
        var packet = new byte[header + templateSet + dataSet];
        var p = packet.AsSpan();
        var exportSeconds = 1_700_000_000u + (uint)random.Next(1000);
        if (ipfix)
        {
            // RFC 7011 §3.1: version, length, export time, sequence, observation domain.
            BinaryPrimitives.WriteUInt16BigEndian(p, 10);
            BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)packet.Length);
            BinaryPrimitives.WriteUInt32BigEndian(p[4..], exportSeconds);
            BinaryPrimitives.WriteUInt32BigEndian(p[12..], 1);
        }
        else
        {
            // RFC 3954 §5.1: version, count, sysUptime, unix secs, sequence, source id.
            BinaryPrimitives.WriteUInt16BigEndian(p, 9);
            BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)(1 + records));
            BinaryPrimitives.WriteUInt32BigEndian(p[4..], (uint)random.Next(0, int.MaxValue));
            BinaryPrimitives.WriteUInt32BigEndian(p[8..], exportSeconds);
            BinaryPrimitives.WriteUInt32BigEndian(p[16..], 1);
        }

        p = p[header..];
        BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)(ipfix ? 2 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)templateSet);
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], 300);
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], (ushort)fields.Length);
        for (var i = 0; i < fields.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(p[(8 + (i * 4))..], fields[i].Id);
            BinaryPrimitives.WriteUInt16BigEndian(p[(10 + (i * 4))..], fields[i].Length);
        }

        p = p[templateSet..];
        BinaryPrimitives.WriteUInt16BigEndian(p, 300);
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)dataSet);
        var data = p[4..];
        random.NextBytes(data);

        // Zero some bytes so zero addresses, zero times and absent-looking values are common.
        for (var i = 0; i < data.Length; i++)
        {
            if (random.Next(3) == 0)
            {
                data[i] = 0;
            }
        }

        return packet;
    }
}
