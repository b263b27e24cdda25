-- The HR database of hr.postgresql.sql as MySQL/MariaDB has it: INT and SMALLINT UNSIGNED keys,
-- client-chosen country numbers, DECIMAL money with CHECK constraints, ENUM columns, JSON, a BLOB,
-- TIMESTAMP/DATETIME defaults, a self reference, a pure link table, a join table with columns of its
-- own, a composite key that is no link table, a CHAR(3) key, a table without a primary key, a
-- PascalCase table, a view and a trigger. 17 tables.

CREATE TABLE regions (
    region_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    region_name VARCHAR(25) NOT NULL UNIQUE
);

-- The client chooses the key: ISO 3166-1 numeric codes.
CREATE TABLE countries (
    country_id SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
    iso_code CHAR(2) NOT NULL UNIQUE,
    country_name VARCHAR(40) NOT NULL,
    region_id INT UNSIGNED NOT NULL,
    CONSTRAINT countries_region_fk FOREIGN KEY (region_id) REFERENCES regions (region_id) ON DELETE RESTRICT
);

CREATE TABLE locations (
    location_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    street_address VARCHAR(40),
    postal_code VARCHAR(12),
    city VARCHAR(30) NOT NULL,
    state_province VARCHAR(25),
    country_id SMALLINT UNSIGNED NOT NULL,
    CONSTRAINT locations_country_fk FOREIGN KEY (country_id) REFERENCES countries (country_id)
);

CREATE TABLE departments (
    department_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    department_name VARCHAR(30) NOT NULL,
    location_id INT UNSIGNED,
    CONSTRAINT departments_location_fk FOREIGN KEY (location_id) REFERENCES locations (location_id)
);

CREATE TABLE jobs (
    job_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_code VARCHAR(10) NOT NULL UNIQUE,
    job_title VARCHAR(35) NOT NULL,
    min_salary DECIMAL(8, 2),
    max_salary DECIMAL(8, 2),
    CONSTRAINT jobs_salary_range CHECK (max_salary >= min_salary)
);

CREATE TABLE employees (
    employee_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    first_name VARCHAR(20),
    last_name VARCHAR(25) NOT NULL,
    email VARCHAR(100) NOT NULL,
    phone_number VARCHAR(20),
    hire_date DATE NOT NULL DEFAULT (CURRENT_DATE),
    job_id INT UNSIGNED NOT NULL,
    salary DECIMAL(8, 2) NOT NULL CHECK (salary > 0),
    commission_pct DECIMAL(2, 2) CHECK (commission_pct >= 0),
    manager_id INT UNSIGNED,
    department_id INT UNSIGNED,
    UNIQUE KEY employees_email_uq (email),
    KEY emp_department_ix (department_id),
    KEY emp_name_ix (last_name, first_name),
    CONSTRAINT employees_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id),
    CONSTRAINT employees_manager_fk FOREIGN KEY (manager_id) REFERENCES employees (employee_id),
    CONSTRAINT employees_department_fk FOREIGN KEY (department_id) REFERENCES departments (department_id)
        ON DELETE SET NULL
);

-- A composite key that is no link table: not served.
CREATE TABLE job_history (
    employee_id INT UNSIGNED NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    job_id INT UNSIGNED NOT NULL,
    department_id INT UNSIGNED,
    PRIMARY KEY (employee_id, start_date),
    CONSTRAINT job_history_date_check CHECK (end_date > start_date),
    CONSTRAINT job_history_employee_fk FOREIGN KEY (employee_id) REFERENCES employees (employee_id),
    CONSTRAINT job_history_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id),
    CONSTRAINT job_history_department_fk FOREIGN KEY (department_id) REFERENCES departments (department_id)
);

CREATE TABLE dependents (
    dependent_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    first_name VARCHAR(50) NOT NULL,
    last_name VARCHAR(50) NOT NULL,
    relationship VARCHAR(25) NOT NULL,
    birth_date DATE,
    employee_id INT UNSIGNED NOT NULL,
    CONSTRAINT dependents_employee_fk FOREIGN KEY (employee_id) REFERENCES employees (employee_id)
        ON DELETE CASCADE
);

CREATE TABLE salary_grades (
    grade_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    grade_name VARCHAR(20) NOT NULL UNIQUE,
    lowest_salary DECIMAL(8, 2) NOT NULL,
    highest_salary DECIMAL(8, 2) NOT NULL,
    CONSTRAINT salary_grades_range CHECK (highest_salary >= lowest_salary)
);

CREATE TABLE benefits (
    benefit_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    monthly_cost DECIMAL(8, 2) NOT NULL DEFAULT 0,
    details JSON
);

-- A pure link table.
CREATE TABLE employee_benefits (
    employee_id INT UNSIGNED NOT NULL,
    benefit_id INT UNSIGNED NOT NULL,
    PRIMARY KEY (employee_id, benefit_id),
    CONSTRAINT employee_benefits_employee_fk FOREIGN KEY (employee_id) REFERENCES employees (employee_id)
        ON DELETE CASCADE,
    CONSTRAINT employee_benefits_benefit_fk FOREIGN KEY (benefit_id) REFERENCES benefits (benefit_id)
        ON DELETE CASCADE
);

CREATE TABLE projects (
    project_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    budget DECIMAL(12, 2),
    starts_on DATE,
    ends_on DATE,
    department_id INT UNSIGNED,
    CONSTRAINT projects_department_fk FOREIGN KEY (department_id) REFERENCES departments (department_id)
);

-- Who works on what: a key of its own and columns of its own, so a model rather than a link table.
CREATE TABLE employee_projects (
    assignment_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id INT UNSIGNED NOT NULL,
    employee_id INT UNSIGNED NOT NULL,
    role VARCHAR(30) NOT NULL DEFAULT 'member',
    allocation_pct DECIMAL(5, 2) CHECK (allocation_pct >= 0),
    assigned_on DATE NOT NULL DEFAULT (CURRENT_DATE),
    UNIQUE KEY employee_projects_uq (project_id, employee_id),
    CONSTRAINT employee_projects_project_fk FOREIGN KEY (project_id) REFERENCES projects (project_id)
        ON DELETE CASCADE,
    CONSTRAINT employee_projects_employee_fk FOREIGN KEY (employee_id) REFERENCES employees (employee_id)
);

CREATE TABLE leave_requests (
    leave_request_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    employee_id INT UNSIGNED NOT NULL,
    leave_type ENUM('annual', 'sick', 'parental', 'unpaid') NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    status ENUM('pending', 'approved', 'rejected', 'cancelled') NOT NULL DEFAULT 'pending',
    reason TEXT,
    requested_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT leave_requests_dates CHECK (end_date >= start_date),
    CONSTRAINT leave_requests_employee_fk FOREIGN KEY (employee_id) REFERENCES employees (employee_id)
);

CREATE TABLE `EmployeeDocuments` (
    `DocumentId` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `EmployeeId` INT UNSIGNED NOT NULL,
    `FileName` VARCHAR(255) NOT NULL,
    `MimeType` VARCHAR(100) NOT NULL DEFAULT 'application/pdf',
    `Content` MEDIUMBLOB,
    `UploadedAt` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT `FK_EmployeeDocumentsEmployeeId` FOREIGN KEY (`EmployeeId`) REFERENCES employees (employee_id)
);

-- A text key: not served (the API's ids are integers).
CREATE TABLE currencies (
    code CHAR(3) NOT NULL PRIMARY KEY,
    name VARCHAR(40) NOT NULL
);

-- No primary key: not served.
CREATE TABLE audit_log (
    logged_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    table_name VARCHAR(64) NOT NULL,
    row_id INT UNSIGNED,
    message TEXT NOT NULL
);

CREATE VIEW employee_details AS
    SELECT e.employee_id, CONCAT_WS(' ', e.first_name, e.last_name) AS name, j.job_title,
        d.department_name, l.city, c.country_name, r.region_name
    FROM employees e
    JOIN jobs j ON j.job_id = e.job_id
    LEFT JOIN departments d ON d.department_id = e.department_id
    LEFT JOIN locations l ON l.location_id = d.location_id
    LEFT JOIN countries c ON c.country_id = l.country_id
    LEFT JOIN regions r ON r.region_id = c.region_id;

CREATE TRIGGER salary_changed AFTER UPDATE ON employees FOR EACH ROW
    INSERT INTO audit_log (table_name, row_id, message)
    SELECT 'employees', NEW.employee_id, CONCAT('salary ', OLD.salary, ' -> ', NEW.salary)
    FROM DUAL WHERE NOT (OLD.salary <=> NEW.salary);

INSERT INTO regions (region_name) VALUES ('Europe'), ('Americas'), ('Asia'), ('Middle East and Africa');
INSERT INTO countries VALUES
    (276, 'DE', 'Germany', 1), (826, 'GB', 'United Kingdom', 1), (528, 'NL', 'Netherlands', 1),
    (840, 'US', 'United States of America', 2), (124, 'CA', 'Canada', 2), (76, 'BR', 'Brazil', 2),
    (392, 'JP', 'Japan', 3), (818, 'EG', 'Egypt', 4);
INSERT INTO locations (street_address, postal_code, city, state_province, country_id) VALUES
    ('2004 Charade Rd', '98199', 'Seattle', 'Washington', 840),
    ('8204 Arthur St', NULL, 'London', NULL, 826),
    ('Magdalen Centre, The Oxford Science Park', 'OX9 9ZB', 'Oxford', 'Oxford', 826),
    ('147 Spadina Ave', 'M5V 2L7', 'Toronto', 'Ontario', 124),
    ('Schwanthalerstr. 7031', '80925', 'Munich', 'Bavaria', 276),
    ('2017 Shinjuku-ku', '1689', 'Tokyo', 'Tokyo Prefecture', 392);
INSERT INTO departments (department_name, location_id) VALUES
    ('Executive', 1), ('IT', 1), ('Finance', 1), ('Sales', 3), ('Human Resources', 2), ('Research', 5);
INSERT INTO jobs (job_code, job_title, min_salary, max_salary) VALUES
    ('AD_PRES', 'President', 20080, 40000),
    ('AD_VP', 'Administration Vice President', 15000, 30000),
    ('IT_PROG', 'Programmer', 4000, 10000),
    ('FI_MGR', 'Finance Manager', 8200, 16000),
    ('FI_ACCOUNT', 'Accountant', 4200, 9000),
    ('SA_MAN', 'Sales Manager', 10000, 20080),
    ('SA_REP', 'Sales Representative', 6000, 12008),
    ('HR_REP', 'Human Resources Representative', 4000, 9000);
INSERT INTO employees
    (first_name, last_name, email, phone_number, hire_date, job_id, salary, commission_pct, manager_id, department_id)
VALUES
    ('Steven', 'King', 'steven.king@example.com', '515.123.4567', '2003-06-17', 1, 24000, NULL, NULL, 1),
    ('Neena', 'Kochhar', 'neena.kochhar@example.com', '515.123.4568', '2005-09-21', 2, 17000, NULL, 1, 1),
    ('Alexander', 'Hunold', 'alexander.hunold@example.com', '590.423.4567', '2006-01-03', 3, 9000, NULL, 2, 2),
    ('Bruce', 'Ernst', 'bruce.ernst@example.com', '590.423.4568', '2007-05-21', 3, 6000, NULL, 3, 2),
    ('David', 'Austin', 'david.austin@example.com', '590.423.4569', '2005-06-25', 3, 4800, NULL, 3, 2),
    ('Nancy', 'Greenberg', 'nancy.greenberg@example.com', '515.124.4569', '2002-08-17', 4, 12008, NULL, 2, 3),
    ('Daniel', 'Faviet', 'daniel.faviet@example.com', '515.124.4169', '2002-08-16', 5, 9000, NULL, 6, 3),
    ('John', 'Russell', 'john.russell@example.com', NULL, '2004-10-01', 6, 14000, 0.40, 1, 4),
    ('Karen', 'Partners', 'karen.partners@example.com', NULL, '2005-01-05', 6, 13500, 0.30, 1, 4),
    ('Peter', 'Tucker', 'peter.tucker@example.com', NULL, '2005-01-30', 7, 10000, 0.30, 8, 4),
    ('Susan', 'Mavris', 'susan.mavris@example.com', '515.123.7777', '2002-06-07', 8, 6500, NULL, 2, 5),
    ('Kimberely', 'Grant', 'kimberely.grant@example.com', NULL, '2007-05-24', 7, 7000, 0.15, 8, NULL);
INSERT INTO job_history VALUES
    (2, '1997-09-21', '2001-10-27', 5, 3),
    (2, '2001-10-28', '2005-03-15', 4, 3),
    (3, '2001-01-13', '2005-12-31', 3, 2),
    (8, '2001-09-28', '2004-09-30', 7, 4);
INSERT INTO dependents (first_name, last_name, relationship, birth_date, employee_id) VALUES
    ('Penelope', 'King', 'Child', '2010-03-02', 1),
    ('Nick', 'Kochhar', 'Spouse', NULL, 2),
    ('Ed', 'Austin', 'Child', '2015-11-20', 5),
    ('Jennifer', 'Austin', 'Spouse', NULL, 5),
    ('Matthew', 'Russell', 'Child', '2012-07-14', 8);
INSERT INTO salary_grades (grade_name, lowest_salary, highest_salary) VALUES
    ('A', 1000, 2999), ('B', 3000, 5999), ('C', 6000, 9999), ('D', 10000, 14999), ('E', 15000, 24999);
INSERT INTO benefits (name, monthly_cost, details) VALUES
    ('Health insurance', 320.50, '{"provider": "ACME Health", "family": true}'),
    ('Dental', 45.00, '{"provider": "Bright Smile"}'),
    ('Pension plan', 150.00, '{"employer_match": 0.05}'),
    ('Gym membership', 29.90, NULL);
INSERT INTO employee_benefits VALUES
    (1, 1), (1, 3), (2, 1), (2, 2), (3, 1), (4, 1), (5, 1), (5, 4), (8, 1), (8, 3), (10, 2);
INSERT INTO projects (name, budget, starts_on, ends_on, department_id) VALUES
    ('HR portal', 250000.00, '2024-01-15', NULL, 2),
    ('Payroll migration', 120000.50, '2024-03-01', '2024-12-31', 3),
    ('EMEA sales push', NULL, '2024-06-01', NULL, 4);
INSERT INTO employee_projects (project_id, employee_id, role, allocation_pct) VALUES
    (1, 3, 'lead', 60), (1, 4, 'member', 100), (1, 11, 'stakeholder', 10),
    (2, 6, 'lead', 40), (2, 7, 'member', 80), (3, 9, 'lead', 50);
INSERT INTO leave_requests (employee_id, leave_type, start_date, end_date, status, reason) VALUES
    (3, 'annual', '2024-07-01', '2024-07-14', 'approved', 'Summer holiday'),
    (4, 'sick', '2024-02-12', '2024-02-13', 'approved', NULL),
    (7, 'parental', '2024-09-01', '2024-12-31', 'pending', NULL),
    (10, 'annual', '2024-08-05', '2024-08-09', 'rejected', 'Quarter end'),
    (11, 'unpaid', '2024-05-02', '2024-05-03', 'cancelled', NULL);
INSERT INTO `EmployeeDocuments` (`EmployeeId`, `FileName`, `MimeType`, `Content`) VALUES
    (1, 'contract.pdf', 'application/pdf', X'255044462d312e34'),
    (3, 'passport.png', 'image/png', X'89504e470d0a1a0a'),
    (3, 'certificate.pdf', DEFAULT, NULL);
INSERT INTO currencies VALUES ('EUR', 'Euro'), ('USD', 'US Dollar'), ('GBP', 'Pound Sterling'), ('JPY', 'Yen');
UPDATE employees SET salary = 4900 WHERE employee_id = 5;
