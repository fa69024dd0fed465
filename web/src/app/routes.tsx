import {
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  DollarOutlined,
  ExperimentOutlined,
  FileSearchOutlined,
  GiftOutlined,
  KeyOutlined,
  PieChartOutlined,
  PlaySquareOutlined,
  SendOutlined,
  SettingOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
  VideoCameraOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import type { ComponentType, ReactNode } from 'react';

// The console's route table: one entry per page, and the menu is built from it. Every page is
// its own chunk, loaded when first visited (charts and admin pages never reach the first load).
export interface PageRoute {
  path: string; // absolute, without a trailing slash
  titleKey: string; // i18n key of the page title and menu label
  icon: ReactNode;
  area: 'customer' | 'admin';
  menu: boolean; // listed in the side menu (detail pages are not)
  load: () => Promise<{ default: ComponentType }>;
}

export const PAGES: PageRoute[] = [
  // Customers (every logged-in user)
  {
    path: '/',
    titleKey: 'nav.overview',
    icon: <WalletOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/overview-page'),
  },
  {
    path: '/playground',
    titleKey: 'nav.playground',
    icon: <ExperimentOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/playground-page'),
  },
  {
    path: '/batches',
    titleKey: 'nav.batches',
    icon: <AppstoreOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/batches-page'),
  },
  {
    path: '/batches/:id',
    titleKey: 'nav.batch',
    icon: <AppstoreOutlined />,
    area: 'customer',
    menu: false,
    load: () => import('../pages/customer/batch-detail-page'),
  },
  {
    path: '/videos',
    titleKey: 'nav.videos',
    icon: <PlaySquareOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/videos-page'),
  },
  {
    path: '/keys',
    titleKey: 'nav.keys',
    icon: <KeyOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/keys-page'),
  },
  {
    path: '/webhooks',
    titleKey: 'nav.webhooks',
    icon: <SendOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/webhooks-page'),
  },
  {
    path: '/billing',
    titleKey: 'nav.billing',
    icon: <ShoppingCartOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/billing-page'),
  },
  {
    path: '/billing/return',
    titleKey: 'nav.payReturn',
    icon: <ShoppingCartOutlined />,
    area: 'customer',
    menu: false,
    load: () => import('../pages/customer/pay-return-page'),
  },
  {
    path: '/quotas',
    titleKey: 'nav.quotas',
    icon: <PieChartOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/quotas-page'),
  },
  {
    path: '/account',
    titleKey: 'nav.account',
    icon: <UserOutlined />,
    area: 'customer',
    menu: true,
    load: () => import('../pages/customer/account-page'),
  },
  // Operators (admin role)
  {
    path: '/admin',
    titleKey: 'nav.dashboard',
    icon: <BarChartOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/dashboard-page'),
  },
  {
    path: '/admin/channels',
    titleKey: 'nav.channels',
    icon: <ApiOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/channels-page'),
  },
  {
    path: '/admin/prices',
    titleKey: 'nav.prices',
    icon: <DollarOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/prices-page'),
  },
  {
    path: '/admin/packages',
    titleKey: 'nav.packages',
    icon: <GiftOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/packages-page'),
  },
  {
    path: '/admin/batch-config',
    titleKey: 'nav.batchConfig',
    icon: <SettingOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/batch-config-page'),
  },
  {
    path: '/admin/users',
    titleKey: 'nav.users',
    icon: <TeamOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/users-page'),
  },
  {
    path: '/admin/videos',
    titleKey: 'nav.adminVideos',
    icon: <VideoCameraOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/videos-page'),
  },
  {
    path: '/admin/batches',
    titleKey: 'nav.adminBatches',
    icon: <AppstoreOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/admin-batches-page'),
  },
  {
    path: '/admin/batches/:id',
    titleKey: 'nav.batch',
    icon: <AppstoreOutlined />,
    area: 'admin',
    menu: false,
    load: () => import('../pages/admin/admin-batch-page'),
  },
  {
    path: '/admin/orders',
    titleKey: 'nav.orders',
    icon: <UnorderedListOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/orders-page'),
  },
  {
    path: '/admin/alerts',
    titleKey: 'nav.alerts',
    icon: <BellOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/alerts-page'),
  },
  {
    path: '/admin/audit',
    titleKey: 'nav.audit',
    icon: <FileSearchOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/audit-page'),
  },
  {
    path: '/admin/webhooks',
    titleKey: 'nav.webhookDeliveries',
    icon: <SendOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/webhook-deliveries-page'),
  },
  {
    path: '/admin/reconciliation',
    titleKey: 'nav.reconciliation',
    icon: <AuditOutlined />,
    area: 'admin',
    menu: true,
    load: () => import('../pages/admin/reconciliation-page'),
  },
];

// Extension points: pages that wait for APIs being built on other branches (none today). None is
// routed or in the menu. To add one: write pages/<area>/<name>-page.tsx over the new endpoint (run
// `npm run openapi`, which regenerates src/api/schema.d.ts), then move its entry into PAGES with
// `load: () => import('../pages/…')` and add its title to both dictionaries in src/i18n.
export interface UpcomingPage {
  path: string;
  titleKey: string;
  area: 'customer' | 'admin';
  needs: string; // the API it is waiting for
  issue: number;
}

export const UPCOMING_PAGES: UpcomingPage[] = [];
