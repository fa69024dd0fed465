import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, List, Row, Segmented, Space, Statistic, Tag } from 'antd';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/lib/core';
import type { EChartsCoreOption } from 'echarts/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { useThemeMode } from '../../app/theme';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { formatCredits, formatYuanFromFen } from '../../lib/money';
import { bucketLabel, dashboardAlerts, formatShare, rangeOf, type RangeKey } from '../../lib/stats';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

const GREEN = '#389e0d';
const RED = '#cf1322';
const BLUE = '#1668dc';
const ORANGE = '#d46b08';

// One chart: the page's theme, a described canvas (ECharts' aria), transparent on the card.
function Chart({ option, height = 280, label }: { option: EChartsCoreOption; height?: number; label: string }) {
  const dark = useThemeMode() === 'dark';
  return (
    <div role="img" aria-label={label}>
      <ReactECharts
        echarts={echarts}
        theme={dark ? 'dark' : undefined}
        style={{ height }}
        notMerge
        option={{ backgroundColor: 'transparent', aria: { enabled: true }, ...option }}
      />
    </div>
  );
}

// The operator's figures for a range (GET /api/admin/stats/*): tasks by status over time, success
// rate, how tasks ended, completion times per model, credits and revenue, top users and models,
// channel health and what needs attention. ECharts and this page load only when it is opened.
export default function DashboardPage() {
  const { t } = useTranslation();
  const [key, setKey] = useState<RangeKey>('7d');
  const [range, setRange] = useState(() => rangeOf('7d'));
  const pick = (k: RangeKey) => {
    setKey(k);
    setRange(rangeOf(k));
  };
  const q = { from: range.from, to: range.to };
  const overview = useQuery({
    queryKey: ['stats', 'overview', range],
    queryFn: () => unwrap(api.GET('/api/admin/stats/overview', { params: { query: { ...q, bucket: range.bucket } } })),
  });
  const models = useQuery({
    queryKey: ['stats', 'models', range],
    queryFn: () => unwrap(api.GET('/api/admin/stats/models', { params: { query: q } })),
  });
  const users = useQuery({
    queryKey: ['stats', 'users', range],
    queryFn: () => unwrap(api.GET('/api/admin/stats/users', { params: { query: { ...q, page: 1, page_size: 10 } } })),
  });
  const channels = useQuery({
    queryKey: ['stats', 'channels', range],
    queryFn: () => unwrap(api.GET('/api/admin/stats/channels', { params: { query: q } })),
  });
  const revenue = useQuery({
    queryKey: ['stats', 'revenue', range],
    queryFn: () => unwrap(api.GET('/api/admin/stats/revenue', { params: { query: { ...q, bucket: range.bucket } } })),
  });
  const quotaAlerts = useQuery({
    queryKey: ['alerts', 'dashboard'],
    queryFn: () => unwrap(api.GET('/api/admin/alerts', { params: { query: { page: 1, page_size: 5 } } })),
  });
  const error = overview.error ?? models.error ?? users.error ?? channels.error ?? revenue.error;
  const o = overview.data;
  const r = revenue.data;
  const alerts = dashboardAlerts(
    o,
    channels.data,
    (quotaAlerts.data?.items ?? []).filter((a) => a.delivered_at === null),
  );

  return (
    <>
      <PageHeader
        title={t('nav.dashboard')}
        extra={
          <Space wrap>
            <Segmented<RangeKey>
              aria-label={t('dashboard.range')}
              value={key}
              onChange={pick}
              options={[
                { label: t('dashboard.today'), value: 'today' },
                { label: t('dashboard.days7'), value: '7d' },
                { label: t('dashboard.days30'), value: '30d' },
              ]}
            />
            <Button
              icon={<ReloadOutlined />}
              aria-label={t('dashboard.reload')}
              onClick={() => setRange(rangeOf(key))}
            />
          </Space>
        }
      />
      <ErrorAlert error={error} />
      <Row gutter={[16, 16]}>
        <Figure testId="fig-tasks" title={t('dashboard.tasks')} loading={!o} value={o?.totals.tasks ?? 0} />
        <Figure
          testId="fig-success"
          title={t('dashboard.successRate')}
          loading={!o}
          value={formatShare(o?.totals.success_rate)}
        />
        <Figure
          testId="fig-credits"
          title={t('dashboard.creditsCharged')}
          loading={!o}
          value={formatCredits(o?.totals.credits_charged ?? 0)}
        />
        <Figure
          testId="fig-revenue"
          title={t('dashboard.revenue')}
          loading={!r}
          value={`¥${formatYuanFromFen(r?.amount_fen ?? 0)}`}
        />
        <Figure testId="fig-inflight" title={t('dashboard.inFlight')} loading={!o} value={o?.totals.in_flight ?? 0} />
        <Figure
          testId="fig-accepted"
          title={t('dashboard.accepted')}
          loading={!o}
          value={formatShare(o?.totals.submit_accept_rate)}
        />
        <Col xs={24} data-testid="alerts">
          <Alerts alerts={alerts} />
        </Col>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('dashboard.perBucket')}>
            <TasksChart overview={o} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('dashboard.endedBy')}>
            <EndedByChart overview={o} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.completion')}>
            <CompletionChart items={models.data?.items} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.topModels')}>
            <TopModelsChart items={models.data?.items} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.topUsers')}>
            <TopUsersChart items={users.data?.items} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.channelHealth')}>
            <ChannelHealth items={channels.data?.items} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('dashboard.revenueOverTime')}>
            <RevenueChart revenue={r} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

function Figure({
  title,
  value,
  loading,
  testId,
}: {
  title: string;
  value: string | number;
  loading: boolean;
  testId: string;
}) {
  return (
    <Col xs={12} md={8} xl={4}>
      <Card size="small" data-testid={testId}>
        <Statistic title={title} value={value} loading={loading} />
      </Card>
    </Col>
  );
}

type Overview = Schemas['StatsOverviewDto'] | undefined;
type ModelItem = Schemas['ModelFigureDto'];

function TasksChart({ overview }: { overview: Overview }) {
  const { t } = useTranslation();
  const s = overview?.series;
  const points = s?.points ?? [];
  const labels = points.map((p) => bucketLabel(p.start, s?.bucket ?? 'day'));
  return (
    <Chart
      label={t('dashboard.perBucket')}
      height={300}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 40, right: 56, top: 56, bottom: 30 },
        xAxis: { type: 'category', data: labels },
        yAxis: [
          { type: 'value', name: t('dashboard.tasksAxis'), minInterval: 1 },
          { type: 'value', name: t('common.credits') },
        ],
        series: [
          {
            name: t('status.succeed'),
            type: 'bar',
            stack: 'tasks',
            data: points.map((p) => p.succeeded),
            color: GREEN,
          },
          { name: t('status.failed'), type: 'bar', stack: 'tasks', data: points.map((p) => p.failed), color: RED },
          {
            name: t('dashboard.inFlight'),
            type: 'bar',
            stack: 'tasks',
            data: points.map((p) => p.total - p.succeeded - p.failed),
            color: BLUE,
          },
          {
            name: t('dashboard.creditsCharged'),
            type: 'line',
            yAxisIndex: 1,
            data: points.map((p) => p.credits_charged),
            color: ORANGE,
          },
        ],
      }}
    />
  );
}

function EndedByChart({ overview }: { overview: Overview }) {
  const { t } = useTranslation();
  const items = overview?.ended_by ?? [];
  if (overview && items.length === 0) return <Empty description={t('dashboard.noneFinished')} />;
  return (
    <Chart
      label={t('dashboard.endedBy')}
      option={{
        tooltip: { trigger: 'item', valueFormatter: (v: number) => String(v) },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['40%', '68%'],
            label: { formatter: '{b}: {d}%' },
            data: items.map((e) => ({ name: t(`dashboard.ended_${e.ended_by}`), value: e.count })),
          },
        ],
      }}
    />
  );
}

function CompletionChart({ items }: { items: ModelItem[] | undefined }) {
  const { t } = useTranslation();
  const measured = (items ?? []).filter((m) => m.completion_seconds.count > 0);
  if (items && measured.length === 0) return <Empty description={t('dashboard.noneSucceeded')} />;
  return (
    <Chart
      label={t('dashboard.completion')}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v} s` },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 56 },
        xAxis: { type: 'category', data: measured.map((m) => m.model), axisLabel: { rotate: 20 } },
        yAxis: { type: 'value', name: t('dashboard.seconds') },
        series: [
          { name: 'p50', type: 'bar', data: measured.map((m) => m.completion_seconds.p50), color: BLUE },
          { name: 'p95', type: 'bar', data: measured.map((m) => m.completion_seconds.p95), color: ORANGE },
        ],
      }}
    />
  );
}

function TopModelsChart({ items }: { items: ModelItem[] | undefined }) {
  const { t } = useTranslation();
  const top = (items ?? []).slice(0, 8).reverse();
  if (items && top.length === 0) return <Empty />;
  return (
    <Chart
      label={t('dashboard.topModels')}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 110, right: 16, top: 36, bottom: 24 },
        yAxis: { type: 'category', data: top.map((m) => m.model) },
        xAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('status.succeed'), type: 'bar', stack: 'n', data: top.map((m) => m.succeeded), color: GREEN },
          { name: t('status.failed'), type: 'bar', stack: 'n', data: top.map((m) => m.failed), color: RED },
          {
            name: t('dashboard.inFlight'),
            type: 'bar',
            stack: 'n',
            data: top.map((m) => m.total - m.succeeded - m.failed),
            color: BLUE,
          },
        ],
      }}
    />
  );
}

function TopUsersChart({ items }: { items: Schemas['UserFigureDto'][] | undefined }) {
  const { t } = useTranslation();
  const top = (items ?? []).slice(0, 10).reverse();
  if (items && top.length === 0) return <Empty />;
  return (
    <Chart
      label={t('dashboard.topUsers')}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatCredits(v) },
        grid: { left: 160, right: 24, top: 16, bottom: 24 },
        yAxis: { type: 'category', data: top.map((u) => u.email ?? `#${u.user_id}`) },
        xAxis: { type: 'value', name: t('common.credits') },
        series: [
          {
            name: t('dashboard.creditsCharged'),
            type: 'bar',
            data: top.map((u) => u.credits_charged),
            color: ORANGE,
          },
        ],
      }}
    />
  );
}

function ChannelHealth({ items }: { items: Schemas['ChannelFigureDto'][] | undefined }) {
  const { t } = useTranslation();
  const list = items ?? [];
  if (items && list.length === 0) return <Empty description={t('dashboard.noChannelTasks')} />;
  return (
    <>
      <Chart
        label={t('dashboard.channelHealth')}
        height={200}
        option={{
          tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
          grid: { left: 110, right: 24, top: 16, bottom: 24 },
          yAxis: { type: 'category', data: list.map((c) => c.name ?? `#${c.channel_id}`) },
          xAxis: { type: 'value', max: 100, name: '%' },
          series: [
            {
              name: t('dashboard.errorRate'),
              type: 'bar',
              data: list.map((c) => ({
                value: c.error_rate === null ? 0 : Math.round(c.error_rate * 1000) / 10,
                itemStyle: { color: c.status === 'auto_disabled' ? RED : (c.error_rate ?? 0) > 0.2 ? ORANGE : GREEN },
              })),
            },
          ],
        }}
      />
      <Space wrap>
        {list.map((c) => (
          <Tag key={c.channel_id}>
            {c.name ?? `#${c.channel_id}`}: {c.status ? <StatusTag status={c.status} /> : t('dashboard.deleted')} ·{' '}
            {formatShare(c.error_rate)}
          </Tag>
        ))}
      </Space>
    </>
  );
}

function RevenueChart({ revenue }: { revenue: Schemas['RevenueStatsDto'] | undefined }) {
  const { t } = useTranslation();
  const s = revenue?.series;
  const points = s?.points ?? [];
  return (
    <>
      <Chart
        label={t('dashboard.revenueOverTime')}
        height={220}
        option={{
          tooltip: { trigger: 'axis' },
          grid: { left: 56, right: 16, top: 24, bottom: 30 },
          xAxis: { type: 'category', data: points.map((p) => bucketLabel(p.start, s?.bucket ?? 'day')) },
          yAxis: { type: 'value', name: '¥' },
          series: [
            {
              name: t('dashboard.revenue'),
              type: 'bar',
              data: points.map((p) => Number(formatYuanFromFen(p.amount_fen))),
              color: GREEN,
            },
          ],
        }}
      />
      {revenue && (
        <div data-testid="revenue-summary">
          {t('dashboard.revenueSummary', {
            orders: revenue.paid_orders,
            yuan: formatYuanFromFen(revenue.amount_fen),
            credits: formatCredits(revenue.credits),
          })}
        </div>
      )}
    </>
  );
}

function Alerts({ alerts }: { alerts: ReturnType<typeof dashboardAlerts> }) {
  const { t } = useTranslation();
  if (alerts.length === 0) return <Alert type="success" showIcon title={t('dashboard.allClear')} />;
  return (
    <List
      aria-label={t('dashboard.alerts')}
      size="small"
      split={false}
      dataSource={alerts}
      renderItem={(a) => (
        <List.Item style={{ padding: '4px 0' }}>
          <Alert
            style={{ width: '100%' }}
            type={a.level}
            showIcon
            title={t(`dashboard.alert_${a.key}`, a.params)}
            action={
              a.key === 'quota' ? (
                <Link to="/admin/alerts">{t('dashboard.open')}</Link>
              ) : a.key === 'lowSuccess' ? undefined : (
                <Link to="/admin/channels">{t('dashboard.open')}</Link>
              )
            }
          />
        </List.Item>
      )}
    />
  );
}
