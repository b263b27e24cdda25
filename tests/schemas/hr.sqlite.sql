-- An HR database in the style of the classic HR sample schema, as a SQLite file has it: rowid keys,
-- declared types (VARCHAR(n), NUMERIC(p,s), BOOLEAN, DATETIME, REAL, BLOB, JSON), a self reference,
-- a link table, a composite key that is no link table, a text key, a table without a primary key,
-- a PascalCase table, a column named "order", a view and a trigger. 17 tables.

PRAGMA foreign_keys = ON;

CREATE TABLE regions (
    region_id INTEGER PRIMARY KEY,
    region_name VARCHAR(25) NOT NULL UNIQUE
);

CREATE TABLE countries (
    country_id INTEGER PRIMARY KEY AUTOINCREMENT,
    iso_code CHAR(2) NOT NULL UNIQUE,
    country_name VARCHAR(40) NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions (region_id) ON DELETE CASCADE
);

CREATE TABLE locations (
    location_id INTEGER PRIMARY KEY,
    street_address VARCHAR(40),
    postal_code VARCHAR(12),
    city VARCHAR(30) NOT NULL,
    state_province VARCHAR(25),
    country_id INTEGER NOT NULL REFERENCES countries (country_id)
);

CREATE TABLE jobs (
    job_id INTEGER PRIMARY KEY,
    job_code VARCHAR(10) NOT NULL,
    job_title VARCHAR(35) NOT NULL,
    min_salary NUMERIC(8, 2),
    max_salary NUMERIC(8, 2),
    UNIQUE (job_code)
);

CREATE TABLE departments (
    department_id INTEGER PRIMARY KEY,
    department_name VARCHAR(30) NOT NULL,
    location_id INTEGER REFERENCES locations (location_id)
);

CREATE TABLE employees (
    employee_id INTEGER PRIMARY KEY,
    first_name VARCHAR(20),
    last_name VARCHAR(25) NOT NULL,
    email VARCHAR(100) NOT NULL,
    phone_number VARCHAR(20),
    hire_date DATE NOT NULL,
    job_id INTEGER NOT NULL REFERENCES jobs (job_id),
    salary NUMERIC(8, 2) NOT NULL CHECK (salary > 0),
    commission_pct NUMERIC(2, 2),
    manager_id INTEGER REFERENCES employees (employee_id),
    department_id INTEGER REFERENCES departments (department_id) ON DELETE SET NULL,
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT employees_email_uq UNIQUE (email)
);
CREATE INDEX emp_department_ix ON employees (department_id);
CREATE INDEX emp_name_ix ON employees (last_name, first_name);
CREATE INDEX emp_active_department_ix ON employees (department_id, hire_date) WHERE is_active = 1;

-- A composite key that is no link table: not served.
CREATE TABLE job_history (
    employee_id INTEGER NOT NULL REFERENCES employees (employee_id),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    job_id INTEGER NOT NULL REFERENCES jobs (job_id),
    department_id INTEGER REFERENCES departments (department_id),
    PRIMARY KEY (employee_id, start_date)
);

CREATE TABLE dependents (
    dependent_id INTEGER PRIMARY KEY,
    first_name VARCHAR(50) NOT NULL,
    last_name VARCHAR(50) NOT NULL,
    relationship VARCHAR(25) NOT NULL,
    employee_id INTEGER NOT NULL,
    CONSTRAINT dependents_employee_fk FOREIGN KEY (employee_id) REFERENCES employees (employee_id) ON DELETE CASCADE
);

CREATE TABLE skills (
    skill_id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL UNIQUE
);

-- A pure link table.
-- (SQLAlchemy reads the ON DELETE action of a table constraint, not of a column's REFERENCES.)
CREATE TABLE employee_skills (
    employee_id INTEGER NOT NULL,
    skill_id INTEGER NOT NULL,
    PRIMARY KEY (employee_id, skill_id),
    FOREIGN KEY (employee_id) REFERENCES employees (employee_id) ON DELETE CASCADE,
    FOREIGN KEY (skill_id) REFERENCES skills (skill_id) ON DELETE CASCADE
);

CREATE TABLE projects (
    project_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL,
    budget NUMERIC(12, 2),
    starts_on DATE,
    ends_on DATE,
    department_id INTEGER REFERENCES departments (department_id)
);

CREATE TABLE project_assignments (
    assignment_id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (project_id) ON DELETE CASCADE,
    employee_id INTEGER NOT NULL REFERENCES employees (employee_id),
    role VARCHAR(30) NOT NULL DEFAULT 'member',
    hours REAL,
    CONSTRAINT project_assignments_uq UNIQUE (project_id, employee_id)
);

CREATE TABLE timesheets (
    timesheet_id INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees (employee_id),
    work_date DATE NOT NULL,
    starts_at TIME,
    hours REAL NOT NULL,
    note TEXT
);

CREATE TABLE "Payroll" (
    "PayrollId" INTEGER PRIMARY KEY,
    "EmployeeId" INTEGER NOT NULL REFERENCES employees (employee_id),
    "PeriodEnd" DATE NOT NULL,
    "Gross" NUMERIC(10, 2) NOT NULL,
    "Payslip" BLOB
);

CREATE TABLE benefits (
    benefit_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    details JSON,
    "order" INTEGER NOT NULL DEFAULT 0
);

-- A text key: not served (the API's ids are integers).
CREATE TABLE currencies (
    code CHAR(3) PRIMARY KEY,
    name VARCHAR(40) NOT NULL
);

-- No primary key: not served.
CREATE TABLE audit_log (
    at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    message TEXT NOT NULL
);

CREATE VIEW employee_directory AS
    SELECT e.employee_id, e.first_name || ' ' || e.last_name AS name, d.department_name
    FROM employees e LEFT JOIN departments d ON d.department_id = e.department_id;

CREATE TRIGGER employee_hired AFTER INSERT ON employees
BEGIN
    INSERT INTO audit_log (message) VALUES ('hired ' || NEW.employee_id);
END;

INSERT INTO regions (region_name) VALUES ('Europe'), ('Americas'), ('Asia');
INSERT INTO countries (iso_code, country_name, region_id) VALUES ('DE', 'Germany', 1), ('US', 'United States of America', 2), ('JP', 'Japan', 3);
INSERT INTO locations (street_address, postal_code, city, state_province, country_id) VALUES
    ('2014 Jabberwocky Rd', '26192', 'Southlake', 'Texas', 2), ('Schwanthalerstr. 7031', '80925', 'Munich', 'Bavaria', 1);
INSERT INTO jobs (job_code, job_title, min_salary, max_salary) VALUES
    ('AD_PRES', 'President', 20000, 40000), ('IT_PROG', 'Programmer', 4000, 10000), ('SA_REP', 'Sales Representative', 6000, 12000);
INSERT INTO departments (department_name, location_id) VALUES ('Executive', 1), ('IT', 1), ('Sales', 2);
INSERT INTO employees (first_name, last_name, email, phone_number, hire_date, job_id, salary, commission_pct, manager_id, department_id) VALUES
    ('Steven', 'King', 'steven.king@example.com', '515.123.4567', '1987-06-17', 1, 24000, NULL, NULL, 1),
    ('Alexander', 'Hunold', 'alexander.hunold@example.com', '590.423.4567', '1990-01-03', 2, 9000, NULL, 1, 2),
    ('John', 'Russell', 'john.russell@example.com', NULL, '1996-10-01', 3, 7000.5, 0.4, 1, 3);
INSERT INTO job_history VALUES (2, '1989-01-01', '1989-12-31', 3, 3);
INSERT INTO dependents (first_name, last_name, relationship, employee_id) VALUES ('Penelope', 'King', 'Child', 1);
INSERT INTO skills (name) VALUES ('Python'), ('SQL'), ('Negotiation');
INSERT INTO employee_skills VALUES (2, 1), (2, 2), (3, 3);
INSERT INTO projects (name, budget, starts_on, department_id) VALUES ('Payroll system', 125000.5, '2024-01-15', 2);
INSERT INTO project_assignments (project_id, employee_id, role, hours) VALUES (1, 2, 'lead', 120.5);
INSERT INTO timesheets (employee_id, work_date, starts_at, hours, note) VALUES (2, '2024-02-01', '09:00:00', 8, 'kick-off');
INSERT INTO "Payroll" ("EmployeeId", "PeriodEnd", "Gross") VALUES (1, '2024-01-31', 24000);
INSERT INTO benefits (name, details, "order") VALUES ('Health', '{"provider": "ACME"}', 1);
INSERT INTO currencies VALUES ('EUR', 'Euro');
