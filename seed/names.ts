/** Word pools for readable demo names. Fixed lists: the PRNG picks, so names are deterministic too. */
export const COMPANY_STEMS = [
  'Acme', 'Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Vandelay',
  'Hooli', 'Pied Piper', 'Aperture', 'Black Mesa', 'Massive Dynamic', 'Oscorp', 'Wonka', 'Gringotts', 'Monarch', 'Vehement',
  'Blue Sun', 'Nakatomi', 'Dunder', 'Sterling', 'Prestige', 'Bluth', 'Krusty', 'Tessier', 'Zorg', 'Weyland', 'Yutani', 'Ollivander',
  'Nordlicht', 'Alpenrose', 'Rheinwerk', 'Edelweiss', 'Hanse', 'Isar', 'Brandt', 'Falkenberg', 'Lindqvist', 'Marino', 'Duarte',
  'Ferreira', 'Andes', 'Patagonia', 'Sierra', 'Cascade', 'Harbor', 'Granite', 'Summit', 'Meridian', 'Beacon', 'Keystone', 'Pioneer',
  'Atlas', 'Orion', 'Vertex', 'Quantum', 'Helios', 'Aurora', 'Polaris', 'Zenith', 'Nimbus', 'Cobalt', 'Silverline', 'Redwood',
];
export const COMPANY_KINDS = [
  'Industries', 'Logistics', 'Bank', 'Insurance', 'Health', 'Energy', 'Retail', 'Foods', 'Pharma', 'Systems', 'Telecom', 'Media',
  'Motors', 'Capital', 'Labs', 'Airlines', 'Chemicals', 'Utilities', 'Software', 'Partners',
];
export const SUBSIDIARY_KINDS = ['Logistics', 'Retail', 'Financial Services', 'Manufacturing', 'Digital', 'Services'];
export const INDUSTRIES = [
  'Manufacturing', 'Financial Services', 'Insurance', 'Healthcare', 'Energy', 'Retail', 'Public Sector', 'Technology',
  'Telecommunications', 'Media', 'Pharma', 'Logistics',
];
export const SALES_OWNERS = ['Alice Moreau', 'Ben Okafor', 'Chiara Rossi', 'Daniel Weber', 'Elena Petrova', 'Felipe Castro', 'Grace Lee'];
export const FIRST_NAMES = [
  'Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karla', 'Lukas', 'Mia', 'Noah', 'Olivia',
  'Paul', 'Quinn', 'Rosa', 'Samuel', 'Tara', 'Umar', 'Vera', 'William', 'Xenia', 'Yusuf', 'Zoe', 'Aiden', 'Beatriz', 'Carlos',
  'Dana', 'Erik', 'Fatima', 'Gabriel', 'Hanna', 'Ivan', 'Julia', 'Kenji', 'Lena', 'Marco', 'Nina', 'Oskar', 'Priya', 'Rafael',
  'Sofia', 'Tomas', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zane',
];
export const LAST_NAMES = [
  'Adams', 'Becker', 'Chen', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hoffmann', 'Ivanova', 'Jensen', 'Klein', 'Lopez', 'Meyer',
  'Nakamura', 'Olsen', 'Patel', 'Quintero', 'Richter', 'Schmidt', 'Tanaka', 'Ueda', 'Vogel', 'Wagner', 'Xu', 'Yilmaz', 'Zimmermann',
  'Brown', 'Costa', 'Diaz', 'Engel', 'Fuchs', 'Gomez', 'Hart', 'Iyer', 'Kowalski', 'Larsen', 'Moreno', 'Novak', 'Ortiz', 'Park',
];
export const CONTACT_TITLES = ['CFO', 'CIO', 'Head of Procurement', 'VP Operations', 'Finance Director', 'Program Manager', 'CTO', 'Controller'];
export const DEAL_TOPICS: Record<string, string[]> = {
  ADVISORY: ['Finance transformation', 'Operating model review', 'Cost optimisation', 'M&A due diligence', 'Pricing strategy', 'Risk assessment'],
  ENGINEERING: ['ERP rollout', 'Data platform build', 'Cloud migration', 'Customer portal', 'API modernisation', 'Mobile app'],
  MANAGED_SERVICES: ['Application support', 'Cloud operations', 'Data operations', 'Service desk', 'Platform run', 'Security monitoring'],
};
export const TASK_NAMES: Record<string, string[]> = {
  ADVISORY: ['Discovery interviews', 'Analysis', 'Recommendations', 'Workshops'],
  ENGINEERING: ['Design', 'Build', 'Testing', 'Deployment'],
  MANAGED_SERVICES: ['Incident handling', 'Change requests', 'Monitoring', 'Reporting'],
};
export const ENTRY_NOTES = [
  'Client workshop', 'Status meeting', 'Implementation', 'Review and fixes', 'Documentation', 'Analysis', 'Stakeholder interviews',
  'Testing', 'Design session', 'Data migration', 'Deployment support', 'Backlog grooming', null, null, null,
];
export const APPROVERS = ['Maria Keller (PMO)', 'James Whitfield (PMO)', 'Sandra Vogt (Delivery)'];
export const REJECTION_REASONS = [
  'Hours booked on the wrong project, please move Thursday to the data platform build.',
  'Missing notes on the client workshop entries.',
  'Friday exceeds the agreed 8 hours without approval.',
];
