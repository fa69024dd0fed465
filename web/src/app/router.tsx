import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/use-session';
import { NotFound } from './not-found';
import { PAGES } from './routes';

const lazyPage = (load: () => Promise<{ default: ComponentType }>): LazyExoticComponent<ComponentType> => lazy(load);

// The shell (menu, header) is a chunk of its own too: the login page does not need it.
const AppLayout = lazyPage(() => import('./app-layout').then((m) => ({ default: m.AppLayout })));
const LoginPage = lazyPage(() => import('../pages/auth/login-page'));
const RegisterPage = lazyPage(() => import('../pages/auth/register-page'));
const SetPasswordPage = lazyPage(() => import('../pages/auth/set-password-page'));

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

function Page({ component: C }: { component: LazyExoticComponent<ComponentType> }) {
  return (
    <Suspense fallback={<Loading />}>
      <C />
    </Suspense>
  );
}

// Logged-in pages; a visitor goes to /login and comes back to the deep link afterwards.
function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <Outlet />;
}

function RequireAdmin() {
  const session = useSession();
  return session?.user.role === 'admin' ? <Outlet /> : <NotFound />;
}

const pageRoutes = (area: 'customer' | 'admin') =>
  PAGES.filter((p) => p.area === area).map((p) => ({
    path: p.path,
    element: <Page component={lazyPage(p.load)} />,
  }));

export const router = createBrowserRouter([
  { path: '/login', element: <Page component={LoginPage} /> },
  { path: '/register', element: <Page component={RegisterPage} /> },
  { path: '/set-password', element: <Page component={SetPasswordPage} /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Page component={AppLayout} />,
        children: [
          ...pageRoutes('customer'),
          { element: <RequireAdmin />, children: pageRoutes('admin') },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
