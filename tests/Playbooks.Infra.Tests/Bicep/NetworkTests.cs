using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

/// <summary>The optional network isolation: a virtual network the app joins, private endpoints for storage and both vaults.</summary>
public class NetworkTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("network");

    private static JsonElement Deployment(string name) => ArmTemplate.Compiled.AllResources
        .Single(r => ArmTemplate.TypeOf(r) == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name);

    [Fact]
    public void Network_IsDeployedOnlyWhenIsolationIsOn()
    {
        Assert.Equal("[parameters('enableNetworkIsolation')]", Deployment("network").GetProperty("condition").GetString());
    }

    [Fact]
    public void PrivateEndpoints_CoverStorageBlobTableQueueAndBothVaults()
    {
        var endpoints = Module.Resource("Microsoft.Network/privateEndpoints");
        var list = Module.Variable("endpoints").GetString()!;

        Assert.Equal("[length(variables('endpoints'))]", endpoints.GetProperty("copy").GetProperty("count").GetString());
        var storageZones = Module.Root.GetProperty("variables").GetProperty("copy").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "storageZones").ToString();
        Assert.Contains("parameters('storageAccountId')", storageZones, StringComparison.Ordinal);
        Assert.Contains("createArray('blob', 'table', 'queue')", storageZones, StringComparison.Ordinal);
        Assert.Contains("parameters('keyVaultId')", list, StringComparison.Ordinal);
        Assert.Contains("parameters('crmKeyVaultId')", list, StringComparison.Ordinal);
    }

    [Fact]
    public void AppSubnet_IsDelegatedForFlexConsumption_AndTheAppJoinsIt()
    {
        var subnets = Module.Resource("Microsoft.Network/virtualNetworks").GetProperty("properties").GetProperty("subnets");
        var app = subnets.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "app");
        var site = ArmTemplate.Compiled.Module("functionapp").Resource("Microsoft.Web/sites").GetProperty("properties");

        Assert.Equal("Microsoft.App/environments",
            app.GetProperty("properties").GetProperty("delegations")[0].GetProperty("properties").GetProperty("serviceName").GetString());
        Assert.Equal("[if(empty(parameters('virtualNetworkSubnetId')), null(), parameters('virtualNetworkSubnetId'))]",
            site.GetProperty("virtualNetworkSubnetId").GetString());
        Assert.Contains("outputs.appSubnetId", Deployment("functionapp").GetProperty("properties").GetProperty("parameters")
            .GetProperty("virtualNetworkSubnetId").GetString(), StringComparison.Ordinal);
    }
}
