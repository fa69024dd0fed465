import { render, screen } from '@testing-library/react';
import { BalanceCards } from '../pages/customer/balance-cards';
import { Credits } from './credits';

describe('<Credits>', () => {
  it('shows the API’s decimal exactly', () => {
    render(
      <p>
        <Credits value={405.6} /> / <Credits value={-0.125} signed /> / <Credits value={12} signed />
      </p>,
    );
    expect(screen.getByText('405.6')).toBeInTheDocument();
    expect(screen.getByText('-0.125')).toBeInTheDocument();
    expect(screen.getByText('+12')).toBeInTheDocument();
  });
});

describe('<BalanceCards>', () => {
  it('shows balance, held, available and used exactly as returned', () => {
    render(<BalanceCards balance={{ balance: 1000.5, held: 405.6, available: 594.9, used: 0.001 }} />);
    const box = screen.getByTestId('balance');
    expect(box).toHaveTextContent('Available594.9');
    expect(box).toHaveTextContent('Balance1,000.5');
    expect(box).toHaveTextContent('Held405.6');
    expect(box).toHaveTextContent('Used0.001');
  });
});
