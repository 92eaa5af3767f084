@description('Name of the Static Web App that serves static-ui.')
param name string
@description('Static Web Apps run in a few regions only.')
param location string
param tags object
@allowed(['Free', 'Standard'])
param sku string

resource web 'Microsoft.Web/staticSites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  sku: {
    name: sku
    tier: sku
  }
  properties: {
    // azd (or the admin) uploads the built site; there is no linked repository.
    provider: 'Custom'
  }
}

output name string = web.name
output origin string = 'https://${web.properties.defaultHostname}'
