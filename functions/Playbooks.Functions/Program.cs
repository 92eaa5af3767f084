using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Playbooks.Functions.Auth;

namespace Playbooks.Functions;

internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ApiAuthorizationMiddleware>();
        builder.Services.AddPlaybooksFunctions(builder.Configuration);
        builder.Build().Run();
    }
}
