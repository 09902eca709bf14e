/** The server types, locations and images the simulator offers. */

export interface CatalogLocation {
  id: number;
  name: string;
  description: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  network_zone: string;
}

export interface CatalogServerType {
  id: number;
  name: string;
  description: string;
  cores: number;
  memory: number;
  disk: number;
  cpu_type: "shared" | "dedicated";
  architecture: "x86" | "arm";
  category: string;
  priceMonthly: string;
  locations: string[];
}

export interface CatalogImage {
  id: number;
  name: string;
  description: string;
  os_flavor: "ubuntu" | "debian";
  os_version: string;
}

export const LOCATIONS: readonly CatalogLocation[] = [
  {
    id: 1,
    name: "fsn1",
    description: "Falkenstein DC Park 1",
    country: "DE",
    city: "Falkenstein",
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: "eu-central",
  },
  {
    id: 2,
    name: "nbg1",
    description: "Nuremberg DC Park 1",
    country: "DE",
    city: "Nuremberg",
    latitude: 49.452102,
    longitude: 11.076665,
    network_zone: "eu-central",
  },
  {
    id: 3,
    name: "hel1",
    description: "Helsinki DC Park 1",
    country: "FI",
    city: "Helsinki",
    latitude: 60.169855,
    longitude: 24.938379,
    network_zone: "eu-central",
  },
  {
    id: 4,
    name: "ash",
    description: "Ashburn, VA",
    country: "US",
    city: "Ashburn, VA",
    latitude: 39.045821,
    longitude: -77.487073,
    network_zone: "us-east",
  },
  {
    id: 5,
    name: "hil",
    description: "Hillsboro, OR",
    country: "US",
    city: "Hillsboro, OR",
    latitude: 45.54222,
    longitude: -122.951924,
    network_zone: "us-west",
  },
  {
    id: 6,
    name: "sin",
    description: "Singapore",
    country: "SG",
    city: "Singapore",
    latitude: 1.283333,
    longitude: 103.833333,
    network_zone: "ap-southeast",
  },
];

const EU = ["fsn1", "nbg1", "hel1"];
const ALL = LOCATIONS.map((location) => location.name);

export const SERVER_TYPES: readonly CatalogServerType[] = [
  {
    id: 104,
    name: "cx22",
    description: "CX22",
    cores: 2,
    memory: 4,
    disk: 40,
    cpu_type: "shared",
    architecture: "x86",
    category: "cost_optimized",
    priceMonthly: "3.7900",
    locations: EU,
  },
  {
    id: 105,
    name: "cx32",
    description: "CX32",
    cores: 4,
    memory: 8,
    disk: 80,
    cpu_type: "shared",
    architecture: "x86",
    category: "cost_optimized",
    priceMonthly: "6.8000",
    locations: EU,
  },
  {
    id: 22,
    name: "cpx11",
    description: "CPX 11",
    cores: 2,
    memory: 2,
    disk: 40,
    cpu_type: "shared",
    architecture: "x86",
    category: "regular_purpose",
    priceMonthly: "4.3500",
    locations: ALL,
  },
  {
    id: 23,
    name: "cpx21",
    description: "CPX 21",
    cores: 3,
    memory: 4,
    disk: 80,
    cpu_type: "shared",
    architecture: "x86",
    category: "regular_purpose",
    priceMonthly: "7.5500",
    locations: ALL,
  },
  {
    id: 45,
    name: "cax11",
    description: "CAX11",
    cores: 2,
    memory: 4,
    disk: 40,
    cpu_type: "shared",
    architecture: "arm",
    category: "cost_optimized",
    priceMonthly: "3.7900",
    locations: EU,
  },
  {
    id: 96,
    name: "ccx13",
    description: "CCX13 Dedicated CPU",
    cores: 2,
    memory: 8,
    disk: 80,
    cpu_type: "dedicated",
    architecture: "x86",
    category: "general_purpose",
    priceMonthly: "12.4900",
    locations: ALL,
  },
];

export const IMAGES: readonly CatalogImage[] = [
  {
    id: 161547269,
    name: "ubuntu-24.04",
    description: "Ubuntu 24.04",
    os_flavor: "ubuntu",
    os_version: "24.04",
  },
  {
    id: 67794396,
    name: "ubuntu-22.04",
    description: "Ubuntu 22.04",
    os_flavor: "ubuntu",
    os_version: "22.04",
  },
  {
    id: 114690387,
    name: "debian-12",
    description: "Debian 12",
    os_flavor: "debian",
    os_version: "12",
  },
];
