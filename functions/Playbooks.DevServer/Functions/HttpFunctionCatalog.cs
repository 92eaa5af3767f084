using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Playbooks.DevServer.Functions;

/// <summary>One HTTP-triggered function of the Function App, as its attributes declare it.</summary>
internal sealed record HttpFunction(string Name, MethodInfo Method, string RouteTemplate, IReadOnlyList<string> HttpMethods);

/// <summary>Finds every HTTP function from its [Function] and [HttpTrigger] attributes, so nothing is registered twice.</summary>
internal static class HttpFunctionCatalog
{
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly, string routePrefix)
    {
        var functions = new List<HttpFunction>();
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (function is null || trigger is null)
            {
                continue;
            }

            foreach (var parameter in method.GetParameters())
            {
                EnsureBindable(method, parameter);
            }

            var route = (trigger.Route ?? function.Name).Trim('/');
            var template = string.IsNullOrEmpty(routePrefix) ? $"/{route}" : $"/{routePrefix}/{route}";
            var verbs = (trigger.Methods is { Length: > 0 } ? trigger.Methods : ["GET", "POST", "PUT", "PATCH", "DELETE"])
                .Select(m => m.ToUpperInvariant()).ToList();
            functions.Add(new HttpFunction(function.Name, method, template, verbs));
        }

        return functions;
    }

    private static void EnsureBindable(MethodInfo method, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpRequest) || type == typeof(CancellationToken) || type == typeof(string) || type.IsPrimitive || type == typeof(Guid))
        {
            return;
        }

        throw new InvalidOperationException(
            $"{method.DeclaringType!.Name}.{method.Name}: parameter '{parameter.Name}' of type {type.Name} cannot be bound by the dev server. " +
            "HTTP functions take HttpRequest, route values and a CancellationToken.");
    }
}
