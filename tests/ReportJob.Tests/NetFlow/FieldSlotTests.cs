using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// The fixed layout reads every integer field with one 8-byte load: the load must stay inside the record
/// and give what the general reader gives, for every offset and length a template can declare.
/// </summary>
public sealed class FieldSlotTests
{
    [Fact]
    public void ReadUnsigned_EveryOffsetAndLength_LoadInsideRecordAndValueMatchesGeneralReader()
    {
        var random = new Random(7);
        for (var recordLength = FieldSlot.WordLength; recordLength <= 40; recordLength++)
        {
            // The record sits inside a larger buffer whose other bytes must never show in a value.
            var buffer = new byte[recordLength + 32];
            Array.Fill(buffer, (byte)0xA5);
            var record = buffer.AsSpan(16, recordLength);
            random.NextBytes(record);
            for (var length = 0; length <= 20; length++)
            {
                for (var offset = 0; offset + length <= recordLength; offset++)
                {
                    var slot = new FieldSlot(offset, length, recordLength);

                    Assert.InRange(slot.Window, 0, recordLength - FieldSlot.WordLength);
                    Assert.Equal(NetFlowReader.ReadUnsigned(record.Slice(offset, length)), slot.ReadUnsigned(record));
                }
            }
        }
    }

    [Fact]
    public void ReadUnsigned_DefaultSlot_ReadsZero()
    {
        var record = Enumerable.Repeat((byte)0xFF, FieldSlot.WordLength).ToArray();

        Assert.Equal(0UL, default(FieldSlot).ReadUnsigned(record));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void TryCreate_RecordShorterThanOneLoad_LeavesItToTheGeneralPlan(int recordLength)
    {
        FieldOp[] plan = [new(FieldKind.Bytes, 0, (ushort)recordLength)];

        Assert.Null(FixedRecordLayout.TryCreate(plan, recordLength));
    }
}
