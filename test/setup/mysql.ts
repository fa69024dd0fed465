process.env.TEST_DB = 'mysql';
if (!process.env.TEST_MYSQL_URL) throw new Error('TEST_MYSQL_URL is required for the mysql project');
