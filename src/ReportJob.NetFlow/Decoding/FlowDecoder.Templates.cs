using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class FlowDecoder
{
    /// <summary>The stream's template for a data set: from the stream's few recent ones, else the cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FlowTemplate? LookupTemplate<TSink>(ushort templateId, ref PacketContext ctx, ref TSink sink)
        where TSink : IFlowSink
    {
        var state = ctx.State;
        if (!state.TryGetRecentTemplate(templateId, _templateGeneration, out var template))
        {
            if (!_templates.TryGetValue(new TemplateKey(ctx.Exporter, ctx.Version, ctx.Domain, templateId), out template))
            {
                return null;
            }

            state.RememberTemplate(template, _templateGeneration);
        }

        var exportSeconds = ctx.ExportSeconds;
        if (IsIdle(template, exportSeconds))
        {
            RemoveTemplate(template.Key, template, TemplateEventKind.Expired, ref sink);
            Statistics.TemplatesExpired++;
            return null;
        }

        if ((int)(exportSeconds - template.LastSeenExportSeconds) > 0)
        {
            template.LastSeenExportSeconds = exportSeconds;
        }

        return template;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsIdle(FlowTemplate template, uint nowSeconds)
    {
        if (_idleTimeoutSeconds < 0 || template.LastSeenExportSeconds == 0)
        {
            return false;
        }

        var idle = (long)(int)(nowSeconds - template.LastSeenExportSeconds);
        return idle > _idleTimeoutSeconds;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RegisterTemplate<TSink>(TemplateKey key, bool isOptions, int scopeCount, ReadOnlySpan<TemplateField> fields, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        TemplateEventKind kind;
        if (_templates.TryGetValue(key, out var existing))
        {
            if (existing.SameDefinition(isOptions, scopeCount, fields))
            {
                // Re-sending the same definition is a refresh, not a collision (RFC 7011 §8.4: over UDP templates are
                // re-sent periodically; RFC 3954 §5.2 the same).
                existing.LastSeenExportSeconds = ctx.ExportSeconds;
                Statistics.TemplatesRefreshed++;
                var refreshed = new TemplateEvent(TemplateEventKind.Refreshed, key, isOptions, fields.Length);
                sink.OnTemplate(in refreshed);
                FlushPending(existing, ref ctx, ref tally, ref sink);
                return;
            }

            kind = TemplateEventKind.Replaced;
        }
        else
        {
            kind = TemplateEventKind.Added;
            if (_templates.Count >= _options.MaxTemplates)
            {
                RejectTemplate(ref tally);
                return;
            }
        }

        var template = new FlowTemplate(key, isOptions, scopeCount, fields.ToArray())
        {
            LastSeenExportSeconds = ctx.ExportSeconds,
        };

        // Records of length 0 would loop forever; a template wider than any datagram cannot be used.
        if (template.MinimumRecordLength == 0 || template.MinimumRecordLength > ushort.MaxValue)
        {
            RejectTemplate(ref tally);
            return;
        }

        // RFC 3954 §7: a new definition for an existing id replaces the old one.
        _templates[key] = template;
        _templateGeneration++;
        if (kind == TemplateEventKind.Added)
        {
            Statistics.TemplatesAdded++;
        }
        else
        {
            Statistics.TemplatesReplaced++;
        }

        var added = new TemplateEvent(kind, key, isOptions, fields.Length);
        sink.OnTemplate(in added);
        FlushPending(template, ref ctx, ref tally, ref sink);
    }

    private void Withdraw<TSink>(FlowAddress exporter, uint domain, ushort templateId, bool optionsSet, ref TSink sink)
        where TSink : IFlowSink
    {
        if (templateId >= 256)
        {
            var key = new TemplateKey(exporter, NetFlowVersion.Ipfix, domain, templateId);
            if (_templates.TryGetValue(key, out var template))
            {
                RemoveTemplate(key, template, TemplateEventKind.Withdrawn, ref sink);
                Statistics.TemplatesWithdrawn++;
            }

            return;
        }

        // RFC 7011 §8.1: template id 2 (template set) or 3 (options template set) withdraws them all.
        if (templateId != (optionsSet ? 3 : 2))
        {
            return;
        }

        List<KeyValuePair<TemplateKey, FlowTemplate>>? victims = null;
        foreach (var pair in _templates)
        {
            if (pair.Key.Exporter == exporter && pair.Key.Version == NetFlowVersion.Ipfix && pair.Key.ObservationDomain == domain
                && pair.Value.IsOptionsTemplate == optionsSet)
            {
                (victims ??= []).Add(pair);
            }
        }

        if (victims is null)
        {
            return;
        }

        foreach (var pair in victims)
        {
            RemoveTemplate(pair.Key, pair.Value, TemplateEventKind.Withdrawn, ref sink);
            Statistics.TemplatesWithdrawn++;
        }
    }

    private void RemoveTemplate<TSink>(TemplateKey key, FlowTemplate template, TemplateEventKind kind, ref TSink sink)
        where TSink : IFlowSink
    {
        _templates.Remove(key);
        _templateGeneration++;
        var removed = new TemplateEvent(kind, key, template.IsOptionsTemplate, 0);
        sink.OnTemplate(in removed);
    }

    /// <summary>
    /// The exporter restarted: its templates, pending data and options state are stale (a template ID means what
    /// the exporter last defined it as, RFC 3954 §5.2 and RFC 7011 §8; a restarted exporter starts afresh).
    /// </summary>
    private void ResetDomain<TSink>(DomainKey domain, DomainState state, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        Statistics.ExporterResets++;
        state.ClearOptions();
        state.SequenceKnown = false;
        List<KeyValuePair<TemplateKey, FlowTemplate>>? victims = null;
        foreach (var pair in _templates)
        {
            if (pair.Key.Domain == domain)
            {
                (victims ??= []).Add(pair);
            }
        }

        if (victims is not null)
        {
            foreach (var pair in victims)
            {
                RemoveTemplate(pair.Key, pair.Value, TemplateEventKind.ExporterReset, ref sink);
            }
        }

        List<TemplateKey>? pendingVictims = null;
        foreach (var key in _pending.Keys)
        {
            if (key.Domain == domain)
            {
                (pendingVictims ??= []).Add(key);
            }
        }

        if (pendingVictims is not null)
        {
            foreach (var key in pendingVictims)
            {
                tally.PendingSetsDropped += DropPendingFor(key);
            }
        }
    }

    private void SweepIdleTemplates<TSink>(ref TSink sink)
        where TSink : IFlowSink
    {
        if (_options.TemplateIdleTimeout <= TimeSpan.Zero)
        {
            return;
        }

        List<KeyValuePair<TemplateKey, FlowTemplate>>? victims = null;
        foreach (var pair in _templates)
        {
            if (_domains.TryGetValue(pair.Key.Domain, out var state) && IsIdle(pair.Value, state.LastExportSeconds))
            {
                (victims ??= []).Add(pair);
            }
        }

        if (victims is null)
        {
            return;
        }

        foreach (var pair in victims)
        {
            RemoveTemplate(pair.Key, pair.Value, TemplateEventKind.Expired, ref sink);
            Statistics.TemplatesExpired++;
        }
    }

    private void Pend(TemplateKey key, ReadOnlySpan<byte> body, ref PacketContext ctx, ref DatagramTally tally)
    {
        if (body.Length == 0)
        {
            return;
        }

        if (!_pending.TryGetValue(key, out var list))
        {
            list = [];
            _pending[key] = list;
        }

        if (list.Count >= _options.MaxPendingSetsPerTemplate)
        {
            _pendingBytes -= list[0].Body.Length;
            list.RemoveAt(0);
            tally.PendingSetsDropped++;
            tally.Status |= DecodeStatus.PendingDropped;
        }

        if (_pendingBytes + body.Length > _options.MaxPendingBytes)
        {
            tally.PendingSetsDropped++;
            tally.Status |= DecodeStatus.PendingDropped;
            if (list.Count == 0)
            {
                _pending.Remove(key);
            }

            return;
        }

        list.Add(new PendingSet(body.ToArray(), ctx.ExportSeconds, ctx.ExportTicks, ctx.SysUptime));
        _pendingBytes += body.Length;
    }

    private void FlushPending<TSink>(FlowTemplate template, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        if (_pending.Count == 0 || !_pending.Remove(template.Key, out var list))
        {
            return;
        }

        foreach (var set in list)
        {
            _pendingBytes -= set.Body.Length;
            var pendingCtx = ctx;
            pendingCtx.ExportSeconds = set.ExportSeconds;
            pendingCtx.ExportTicks = set.ExportTicks;
            pendingCtx.SysUptime = set.SysUptime;
            DecodeWithTemplate(template, set.Body, ref pendingCtx, ref tally, ref sink);
            Statistics.PendingSetsDecoded++;
        }
    }

    /// <summary>Lets go of the data sets waiting for <paramref name="key"/>; returns how many.</summary>
    private int DropPendingFor(TemplateKey key)
    {
        if (!_pending.Remove(key, out var list))
        {
            return 0;
        }

        foreach (var set in list)
        {
            _pendingBytes -= set.Body.Length;
        }

        return list.Count;
    }
}
