using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Playbooks.Functions.Auth;

/// <summary>Runs <see cref="FunctionPipeline"/> inside the Functions worker for HTTP-triggered functions.</summary>
public sealed class ApiAuthorizationMiddleware(FunctionPipeline pipeline) : IFunctionsWorkerMiddleware
{
    private static readonly ConcurrentDictionary<string, MethodInfo> Methods = new();

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            return next(context);
        }

        var method = Methods.GetOrAdd(context.FunctionDefinition.EntryPoint, ResolveEntryPoint);
        return pipeline.InvokeAsync(http, method, () => next(context));
    }

    /// <summary>Entry points look like "Namespace.Type.Method".</summary>
    internal static MethodInfo ResolveEntryPoint(string entryPoint)
    {
        var split = entryPoint.LastIndexOf('.');
        var type = typeof(ApiAuthorizationMiddleware).Assembly.GetType(entryPoint[..split], throwOnError: true)!;
        return type.GetMethod(entryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new InvalidOperationException($"No public method for entry point {entryPoint}.");
    }
}
