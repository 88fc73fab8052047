// Word lists the demo portfolio is made from. Company names combine the first three lists and a
// legal form; every entry within a list is distinct, so distinct combinations are distinct names.

// prettier-ignore
export const NAME_STARTS = [
  'North', 'Blue', 'Silver', 'Iron', 'Bright', 'Clear', 'Red', 'Green', 'Stone', 'Oak',
  'Pine', 'River', 'Summit', 'Harbor', 'Cedar', 'Golden', 'Swift', 'True', 'Lake', 'Sun',
  'Star', 'High', 'Wild', 'Crystal', 'Maple', 'Falcon', 'Copper', 'Ever', 'Nova', 'Arc',
  'Prime', 'West', 'East', 'South', 'Sky', 'Bay', 'Fair', 'Deep', 'Rapid', 'Alder',
] as const;

// prettier-ignore
export const NAME_ENDS = [
  'wind', 'field', 'stone', 'bridge', 'point', 'wave', 'gate', 'works', 'line', 'forge',
  'path', 'crest', 'light', 'mark', 'peak', 'side', 'view', 'water', 'wood', 'ridge',
  'brook', 'haven', 'port', 'vale', 'leaf', 'spring', 'core', 'shore', 'grove', 'beam',
  'rock', 'dale', 'ford', 'hill', 'mont', 'star', 'well', 'yard', 'lane', 'stream',
] as const;

// prettier-ignore
export const INDUSTRIES = [
  'Logistics', 'Analytics', 'Health', 'Robotics', 'Foods', 'Energy', 'Capital', 'Retail', 'Pharma', 'Media',
  'Mobility', 'Insurance', 'Systems', 'Labs', 'Software', 'Manufacturing', 'Telecom', 'Biotech', 'Freight', 'Hospitality',
  'Textiles', 'Aerospace', 'Consulting', 'Water', 'Security', 'Payments', 'Education', 'Farms', 'Marine', 'Construction',
  'Semiconductors', 'Cosmetics', 'Games', 'Airlines', 'Recycling', 'Furniture', 'Outdoor', 'Dental', 'Legal', 'Realty',
] as const;

export const LEGAL_FORMS = [
  '',
  ' Inc.',
  ' GmbH',
  ' Ltd',
  ' AG',
  ' SA',
  ' Group',
  ' BV',
  ' Oy',
  ' LLC',
] as const;

// prettier-ignore
export const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Mia', 'Mateo', 'Sofia', 'Elias',
  'Amelia', 'Leon', 'Zoe', 'Hugo', 'Nora', 'Arjun', 'Priya', 'Kenji', 'Yuki', 'Fatima',
  'Omar', 'Ines', 'Tomas', 'Chloe', 'Ravi', 'Hannah', 'Jonas', 'Maya', 'Diego', 'Sara',
  'Felix', 'Lena', 'Marco', 'Aisha', 'Ethan', 'Clara', 'Samuel', 'Julia', 'Daniel', 'Elena',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Chen', 'Novak', 'Garcia', 'Schmidt', 'Okafor', 'Rossi', 'Dubois', 'Silva', 'Kowalski', 'Nakamura',
  'Patel', 'Johansson', 'Murphy', 'Haddad', 'Fischer', 'Moreau', 'Costa', 'Lindqvist', 'Tanaka', 'Ahmed',
  'Becker', 'Romero', 'Jansen', 'Kim', 'Larsen', 'Mendes', 'Popescu', 'Singh', 'Walsh', 'Yilmaz',
  'Bauer', 'Horvat', 'Ivanova', 'Keller', 'Lopez', 'Meyer', 'Nguyen', 'Otto', 'Pereira', 'Quinn',
] as const;

export const CONTACT_ROLES = [
  'CTO',
  'VP Operations',
  'Head of IT',
  'CFO',
  'Procurement lead',
  'Product owner',
  'Head of Customer Service',
  'Data team lead',
  'COO',
  'IT administrator',
  'Finance director',
  'Head of Sales Ops',
] as const;

export const PRODUCT_AREAS = [
  'SSO',
  'the reporting module',
  'the public API',
  'data export',
  'the mobile app',
  'billing',
  'user provisioning',
  'the analytics dashboard',
  'the workflow builder',
  'audit logs',
  'the CRM connector',
  'data retention settings',
  'role-based permissions',
  'the scheduler',
  'bulk import',
  'email notifications',
] as const;

export const ISSUES = [
  'a timeout on large exports',
  'duplicate records after sync',
  'slow dashboard loads',
  'failed SAML logins',
  'missing webhook deliveries',
  'wrong totals on invoices',
  'a permissions error for new users',
  'stale data in reports',
  'an API rate-limit breach',
  'a crash when uploading files',
] as const;

export const GOALS = [
  'cut manual reporting by half',
  'consolidate three legacy tools',
  'roll out to all regions',
  'meet the new audit requirements',
  'reduce onboarding time for new hires',
  'get a single view of their customers',
  'automate month-end close',
  'move off spreadsheets',
] as const;

export const EVENTS = [
  'our customer summit',
  'the spring user group',
  'a partner webinar',
  'the regional roundtable',
  'a product launch livestream',
  'the annual conference',
] as const;

export const LEGACY_TOOLS = [
  'spreadsheets',
  'their old ERP',
  'an in-house tool',
  'a competitor platform',
] as const;

export const LOST_REASONS = [
  'Chose a competitor that came in 30% cheaper',
  'No budget this fiscal year',
  'Project deprioritised after a reorganisation',
  'Decided to build it in-house',
  'Our champion left the company',
  'Failed their security review on data residency',
  'Missing integration with their ERP',
  'Went with the incumbent vendor to avoid a migration',
] as const;

export const LOST_LESSONS = [
  'Bring procurement in before the proposal, not after.',
  'Multi-thread early: one champion is a single point of failure.',
  'Lead with the data residency options in regulated industries.',
  'Quantify the migration cost from the incumbent in the business case.',
  'Qualify budget in discovery; we spent six weeks on an unfunded project.',
  'Offer a paid pilot instead of a long free trial.',
  'Show the ERP integration roadmap with dates, not promises.',
  'Get an executive sponsor on their side before the final proposal.',
] as const;

export const CHURN_REASONS = [
  'Acquired by a group that standardises on another vendor',
  'Budget cuts: the whole programme was stopped',
  'Adoption never took off after onboarding',
  'Repeated outages eroded their trust',
  'Moved to a cheaper tool with fewer features',
  'Their sponsor left and nobody took ownership',
] as const;

export const CANCEL_REASONS = [
  'No longer needed after their reorganisation',
  'Superseded by the new integration plan',
  'Customer withdrew the request',
  'Account left before we could deliver',
] as const;

export const RENEGOTIATION_REASONS = [
  'Customer asked to wait for their freeze window',
  'Depends on their IT team, who are booked until later',
  'Scope grew; agreed a later date with the customer',
  'Their data was not ready; new date agreed on the call',
] as const;

export const COMMITMENT_TITLES = {
  PRE_SALES: [
    'Send pricing proposal for {seats} seats',
    'Share answers to the security questionnaire',
    'Arrange a reference call with a {industry} customer',
    'Provide an ROI analysis',
    'Set up a sandbox environment',
    'Send the SOC 2 report under NDA',
  ],
  ONBOARDING: [
    'Complete SSO setup with their IT team',
    'Migrate historical data from {legacy}',
    'Run admin training for {users} users',
    'Configure {area} for their teams',
    'Deliver the onboarding plan',
  ],
  RETENTION: [
    'Fix {issue}',
    'Share the roadmap preview for next quarter',
    'Schedule the executive business review',
    'Send the quarterly usage report',
    'Enable the beta of {area}',
    'Send the renewal quote',
    'Share the root cause analysis for {issue}',
  ],
} as const;
