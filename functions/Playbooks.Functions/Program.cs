using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Telemetry;

namespace Playbooks.Functions;

internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ApiAuthorizationMiddleware>();
        builder.Services.AddPlaybooksFunctions(builder.Configuration);
        builder.Services.AddPlaybooksTelemetry(builder.Configuration, otel => otel.UseFunctionsWorkerDefaults());
        builder.Build().Run();
    }
}
