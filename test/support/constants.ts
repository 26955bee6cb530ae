export const TEMPLATE_DATABASE = 'ledgerline_test_template';
