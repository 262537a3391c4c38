using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReportJob.Reports;

/// <summary>Renders a Razor component to an HTML string with <see cref="HtmlRenderer"/> (no web server).</summary>
internal sealed class RazorRenderer(ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddSingleton(loggerFactory).BuildServiceProvider();
    private HtmlRenderer? _renderer;

    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        _renderer ??= new HtmlRenderer(_services, loggerFactory);
        return await _renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await _renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_renderer is not null)
        {
            await _renderer.DisposeAsync();
        }

        await _services.DisposeAsync();
    }
}
