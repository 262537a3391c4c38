namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Receives decoded records. Implement it on a struct and pass it by <c>ref</c> to
/// <see cref="FlowDecoder.Decode{TSink}(FlowAddress, ReadOnlySpan{byte}, DateTime, ref TSink)"/> so the JIT
/// specialises the hot loop (no interface dispatch, no allocation).
/// </summary>
public interface IFlowSink
{
    /// <summary>One traffic flow record; <paramref name="fields"/> gives every raw field (valid only during the call).</summary>
    void OnFlow(in FlowRecord record, FlowFields fields);

    /// <summary>One options data record (metadata, not traffic); fields valid only during the call.</summary>
    void OnOptions(in OptionsRecord record, FlowFields fields);

    /// <summary>A template was added, refreshed, replaced, withdrawn or dropped.</summary>
    void OnTemplate(in TemplateEvent templateEvent);
}
