/**
 * The registries the dashboard can connect to. Each entry says how to
 * connect (its fields) and whether this build can talk to it yet. Adding a
 * registry is adding an entry here and its data module (like `cr.js`).
 */
export const REGISTRIES = [
  {
    id: "alibaba-cr",
    label: "Alibaba Cloud Container Registry EE",
    short: "Alibaba CR",
    available: true,
    defaultRegion: "cn-hangzhou",
    regions: [
      "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou",
      "cn-huhehaote", "cn-chengdu", "cn-hongkong", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5",
      "ap-northeast-1", "ap-south-1", "eu-central-1", "eu-west-1", "us-west-1", "us-east-1", "me-east-1",
    ],
    endpointFor: (region) => `cr.${region}.aliyuncs.com`,
    keyLabels: { id: "AccessKey ID", secret: "AccessKey secret" },
  },
  {
    id: "scaleway",
    label: "Scaleway Container Registry",
    short: "Scaleway",
    available: false,
    note: "coming soon",
  },
  {
    id: "swr",
    label: "Open Telekom Cloud SWR",
    short: "OTC SWR",
    available: false,
    note: "coming soon",
  },
];

export function registryById(id) {
  return REGISTRIES.find((registry) => registry.id === id) ?? REGISTRIES[0];
}
