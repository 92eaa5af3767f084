using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Me;

namespace Playbooks.Functions.Tests.Auth;

public sealed class ApiAuthorizationMiddlewareTests : IDisposable
{
    private readonly TestTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task Invoke_HttpFunctionWithoutToken_Writes401AndSkipsFunction()
    {
        var services = _tokens.BuildServices();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var context = FunctionContextFor($"{typeof(MeFunction).FullName}.{nameof(MeFunction.Run)}", http);
        var middleware = new ApiAuthorizationMiddleware(services.GetRequiredService<FunctionPipeline>());
        var ran = false;

        await middleware.Invoke(context, _ => { ran = true; return Task.CompletedTask; });

        Assert.False(ran);
        Assert.Equal(401, http.Response.StatusCode);
    }

    [Fact]
    public async Task Invoke_HttpFunctionWithToken_RunsFunction()
    {
        var services = _tokens.BuildServices();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Headers.Authorization = $"Bearer {_tokens.Create()}";
        var context = FunctionContextFor($"{typeof(MeFunction).FullName}.{nameof(MeFunction.Run)}", http);
        var middleware = new ApiAuthorizationMiddleware(services.GetRequiredService<FunctionPipeline>());
        var ran = false;

        await middleware.Invoke(context, _ => { ran = true; return Task.CompletedTask; });

        Assert.True(ran);
    }

    [Fact]
    public async Task Invoke_NonHttpTrigger_RunsWithoutAuthentication()
    {
        var services = _tokens.BuildServices();
        var context = FunctionContextFor("Any.Timer.Run", http: null);
        var middleware = new ApiAuthorizationMiddleware(services.GetRequiredService<FunctionPipeline>());
        var ran = false;

        await middleware.Invoke(context, _ => { ran = true; return Task.CompletedTask; });

        Assert.True(ran);
    }

    [Fact]
    public void ResolveEntryPoint_EveryFunctionInGeneratedMetadata_ResolvesToItsMethod()
    {
        // functions.metadata is what the Functions host reads; each entry point must map back to a method.
        var metadata = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(metadata));
        var entryPoints = document.RootElement.EnumerateArray().Select(f => f.GetProperty("entryPoint").GetString()!).ToList();

        Assert.Contains($"{typeof(MeFunction).FullName}.{nameof(MeFunction.Run)}", entryPoints);
        Assert.All(entryPoints, entryPoint => Assert.NotNull(ApiAuthorizationMiddleware.ResolveEntryPoint(entryPoint)));
    }

    private static FunctionContext FunctionContextFor(string entryPoint, HttpContext? http)
    {
        var definition = new Mock<FunctionDefinition>(MockBehavior.Strict);
        definition.SetupGet(d => d.EntryPoint).Returns(entryPoint);
        var items = new Dictionary<object, object>();
        if (http is not null)
        {
            items["HttpRequestContext"] = http;
        }

        var context = new Mock<FunctionContext>(MockBehavior.Strict);
        context.SetupGet(c => c.Items).Returns(items);
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        return context.Object;
    }
}
