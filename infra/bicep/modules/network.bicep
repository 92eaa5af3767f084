// Optional network isolation (enableNetworkIsolation): a virtual network the Function App joins, and private
// endpoints with their private DNS zones for the storage account and both Key Vaults, whose public access is off.
@description('Name of the virtual network.')
param name string
@description('Prefix of the private endpoint names.')
param privateEndpointPrefix string
param location string
param tags object
param storageAccountId string
param keyVaultId string
param crmKeyVaultId string
@description('Address space of the virtual network; the app and private endpoint subnets are its first two /24s.')
param addressPrefix string = '10.40.0.0/16'

var storageZones = [for service in ['blob', 'table', 'queue']: {
  groupId: service
  zone: 'privatelink.${service}.${environment().suffixes.storage}'
  targetId: storageAccountId
}]
var vaultZone = 'privatelink.vaultcore.azure.net'
var endpoints = concat(storageZones, [
  { groupId: 'vault', zone: vaultZone, targetId: keyVaultId }
  { groupId: 'vault', zone: vaultZone, targetId: crmKeyVaultId }
])
var zoneNames = union(map(endpoints, e => e.zone), [])

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        // Flex Consumption joins a subnet delegated to Microsoft.App/environments.
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [{ name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: 'app'
  }

  resource endpointSubnet 'subnets' existing = {
    name: 'private-endpoints'
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in zoneNames: {
  name: zone
  location: 'global'
  tags: tags
}]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in zoneNames: {
  parent: zones[i]
  name: vnet.name
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [for (endpoint, i) in endpoints: {
  name: '${privateEndpointPrefix}${last(split(endpoint.targetId, '/'))}-${endpoint.groupId}'
  location: location
  tags: tags
  properties: {
    subnet: { id: vnet::endpointSubnet.id }
    privateLinkServiceConnections: [
      {
        name: endpoint.groupId
        properties: {
          privateLinkServiceId: endpoint.targetId
          groupIds: [endpoint.groupId]
        }
      }
    ]
  }
}]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (endpoint, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: replace(endpoint.zone, '.', '-')
        properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', endpoint.zone) }
      }
    ]
  }
  dependsOn: [zones]
}]

output appSubnetId string = vnet::appSubnet.id
