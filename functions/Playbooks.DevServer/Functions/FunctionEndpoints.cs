using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Playbooks.Functions.Auth;

namespace Playbooks.DevServer.Functions;

/// <summary>Serves each HTTP function at its own route and method by running the Function App's class.</summary>
internal static class FunctionEndpoints
{
    public const string FunctionHeader = "X-Function-Name";

    public static IReadOnlyList<HttpFunction> MapFunctions(this IEndpointRouteBuilder endpoints, string contentRoot)
    {
        var functions = HttpFunctionCatalog.Discover(typeof(FunctionPipeline).Assembly, ReadRoutePrefix(contentRoot));
        foreach (var function in functions)
        {
            endpoints.MapMethods(function.RouteTemplate, function.HttpMethods, http => InvokeAsync(http, function))
                .WithName(function.Name)
                .WithMetadata(function);
        }

        return functions;
    }

    private static Task InvokeAsync(HttpContext http, HttpFunction function)
    {
        http.Response.Headers[FunctionHeader] = function.Name;
        var pipeline = http.RequestServices.GetRequiredService<FunctionPipeline>();
        return pipeline.InvokeAsync(http, function.Method, async () =>
        {
            // Functions get a new instance per invocation, as the Functions worker does.
            var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(http.RequestServices, function.Method.DeclaringType!);
            var returned = function.Method.Invoke(target, BindArguments(http, function.Method));
            var result = returned switch
            {
                Task<IActionResult> task => await task,
                IActionResult actionResult => actionResult,
                _ => throw new InvalidOperationException($"{function.Name} must return IActionResult or Task<IActionResult>."),
            };
            await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
        });
    }

    private static object?[] BindArguments(HttpContext http, MethodInfo method) =>
        method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => http.Request,
            var t when t == typeof(CancellationToken) => http.RequestAborted,
            var t => http.GetRouteValue(p.Name!) is { } value
                ? TypeDescriptor.GetConverter(t).ConvertFromInvariantString(value.ToString()!)
                : null,
        }).ToArray();

    /// <summary>host.json's extensions.http.routePrefix, as the Functions host reads it ("api" when absent).</summary>
    internal static string ReadRoutePrefix(string directory)
    {
        var hostJson = Path.Combine(directory, "host.json");
        if (!File.Exists(hostJson))
        {
            return "api";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(hostJson));
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var httpSection)
            && httpSection.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? "api"
            : "api";
    }
}
