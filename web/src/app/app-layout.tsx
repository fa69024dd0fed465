import { LogoutOutlined, MenuOutlined, MoonOutlined, SunOutlined, UserOutlined } from '@ant-design/icons';
import {
  Button,
  Drawer,
  Dropdown,
  Grid,
  Layout,
  Menu,
  Segmented,
  Space,
  Tooltip,
  Typography,
  type MenuProps,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { matchPath, Outlet, useLocation, useNavigate } from 'react-router';
import { sessionStore } from '../auth/session';
import { useSession } from '../auth/use-session';
import { setLanguage, type Language } from '../i18n';
import { PAGES } from './routes';
import { setThemeMode, useThemeMode } from './theme';

const { Header, Sider, Content } = Layout;

function useMenuItems(): MenuProps['items'] {
  const { t } = useTranslation();
  const isAdmin = useSession()?.user.role === 'admin';
  const item = (p: (typeof PAGES)[number]) => ({ key: p.path, icon: p.icon, label: t(p.titleKey) });
  const customer = PAGES.filter((p) => p.area === 'customer' && p.menu).map(item);
  if (!isAdmin) return customer;
  const admin = PAGES.filter((p) => p.area === 'admin' && p.menu).map(item);
  return [
    { type: 'group', key: 'g-customer', label: t('nav.groupAccount'), children: customer },
    { type: 'group', key: 'g-admin', label: t('nav.groupAdmin'), children: admin },
  ];
}

// The menu entry of the page on screen (detail pages light up their list's entry).
function selectedKey(pathname: string): string {
  const page = PAGES.find((p) => matchPath(p.path, pathname));
  if (!page) return pathname;
  if (page.menu) return page.path;
  return PAGES.filter((p) => p.menu && p.path !== '/' && page.path.startsWith(p.path)).at(-1)?.path ?? page.path;
}

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.lg;
  const [drawer, setDrawer] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const session = useSession();
  const mode = useThemeMode();
  const items = useMenuItems();
  const dark = mode === 'dark';

  const menu = (
    <Menu
      mode="inline"
      theme={dark ? 'dark' : 'light'}
      items={items}
      selectedKeys={[selectedKey(location.pathname)]}
      onClick={({ key }) => {
        setDrawer(false);
        void navigate(key);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );
  const brand = (
    <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
      Reelay
    </Typography.Title>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      {!mobile && (
        <Sider
          width={220}
          theme={dark ? 'dark' : 'light'}
          style={{ borderInlineEnd: dark ? undefined : '1px solid #f0f0f0' }}
        >
          <nav aria-label={t('nav.main')}>
            <div style={{ padding: '16px 24px' }}>{brand}</div>
            {menu}
          </nav>
        </Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawer}
          onClose={() => setDrawer(false)}
          size={260}
          title={brand}
          styles={{ body: { padding: 0 } }}
        >
          <nav aria-label={t('nav.main')}>{menu}</nav>
        </Drawer>
      )}
      <Layout>
        <Header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: mobile ? '0 12px' : '0 24px',
            background: dark ? '#1f1f1f' : '#fff',
            borderBottom: dark ? '1px solid #303030' : '1px solid #f0f0f0',
          }}
        >
          {mobile && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('nav.openMenu')}
              onClick={() => setDrawer(true)}
            />
          )}
          {mobile && brand}
          <div style={{ flex: 1 }} />
          <Space size={mobile ? 4 : 8}>
            <Segmented
              size="small"
              aria-label={t('common.language')}
              value={i18n.language}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'EN', value: 'en' },
              ]}
              onChange={(v) => setLanguage(v as Language)}
            />
            <Tooltip title={dark ? t('common.lightTheme') : t('common.darkTheme')}>
              <Button
                type="text"
                aria-label={dark ? t('common.lightTheme') : t('common.darkTheme')}
                icon={dark ? <SunOutlined /> : <MoonOutlined />}
                onClick={() => setThemeMode(dark ? 'light' : 'dark')}
              />
            </Tooltip>
            <Dropdown
              menu={{
                items: [
                  { key: 'account', icon: <UserOutlined />, label: t('nav.account') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout') },
                ],
                onClick: ({ key }) => {
                  if (key === 'account') void navigate('/account');
                  else sessionStore.clear('logout');
                },
              }}
            >
              <Button type="text" icon={<UserOutlined />} aria-label={t('auth.userMenu')}>
                {!mobile && session?.user.email}
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content id="main" tabIndex={-1} style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
