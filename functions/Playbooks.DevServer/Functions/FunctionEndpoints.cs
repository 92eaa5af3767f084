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
            var invoker = new Invoker(function);
            endpoints.MapMethods(function.RouteTemplate, function.HttpMethods, invoker.InvokeAsync)
                .WithName(function.Name)
                .WithMetadata(function);
        }

        return functions;
    }

    /// <summary>
    /// Runs one function: its constructor and argument binding are worked out once, at start, so a request pays for
    /// neither reflection over the class nor a search of its constructors.
    /// </summary>
    private sealed class Invoker(HttpFunction function)
    {
        private readonly ObjectFactory? _create = function.Method.IsStatic ? null : ActivatorUtilities.CreateFactory(function.Method.DeclaringType!, []);
        private readonly Func<HttpContext, object?>[] _arguments = function.Method.GetParameters().Select(Binder).ToArray();

        public Task InvokeAsync(HttpContext http)
        {
            http.Response.Headers[FunctionHeader] = function.Name;
            var pipeline = http.RequestServices.GetRequiredService<FunctionPipeline>();
            return pipeline.InvokeAsync(http, function.Method, async () =>
            {
                // Functions get a new instance per invocation, as the Functions worker does.
                var target = _create?.Invoke(http.RequestServices, null);
                var arguments = new object?[_arguments.Length];
                for (var i = 0; i < arguments.Length; i++)
                {
                    arguments[i] = _arguments[i](http);
                }

                var returned = function.Method.Invoke(target, arguments);
                var result = returned switch
                {
                    Task<IActionResult> task => await task,
                    IActionResult actionResult => actionResult,
                    _ => throw new InvalidOperationException($"{function.Name} must return IActionResult or Task<IActionResult>."),
                };
                await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
            });
        }

        private static Func<HttpContext, object?> Binder(ParameterInfo parameter)
        {
            var type = parameter.ParameterType;
            if (type == typeof(HttpRequest))
            {
                return http => http.Request;
            }

            if (type == typeof(CancellationToken))
            {
                return http => http.RequestAborted;
            }

            var converter = TypeDescriptor.GetConverter(type);
            var name = parameter.Name!;
            return http => http.GetRouteValue(name) is { } value ? converter.ConvertFromInvariantString(value.ToString()!) : null;
        }
    }

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
